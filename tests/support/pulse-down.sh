#!/usr/bin/env bash
# Stop what pulse-up.sh started: the keep-alive clients and the private daemon.
set -uo pipefail

dir="${VPR_PULSE_DIR:-${TMPDIR:-/tmp}/vpr-pulse-$(id -u)}"
export XDG_RUNTIME_DIR="$dir"
export PULSE_SERVER="unix:$dir/pulse/native"

for pidfile in "$dir"/keepalive-*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null
    rm -f "$pidfile"
done
pulseaudio --kill 2>/dev/null || pactl exit 2>/dev/null || true
exit 0
