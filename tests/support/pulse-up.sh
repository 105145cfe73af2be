#!/usr/bin/env bash
# Start (idempotently) a private PulseAudio daemon for the audio tests: two null sinks,
# `vspeaker` (default sink: what the app plays) and `vmic` (a fake microphone: its
# monitor is the default source; feed it with `paplay -d vmic file.wav`), plus a
# low-latency `parec` client that keeps the null sinks ticking in small blocks
# (without one a null sink delivers 2-second blocks).
#
# Usage (the exports are printed on stdout, everything else goes to stderr):
#   eval "$(tests/support/pulse-up.sh)"
#   cargo test -p vpr-audio        # the tests also call this script themselves
#   PULSE_SOURCE=vspeaker.monitor vpr bench record --seconds 60   # tone loopback
#   tests/support/pulse-down.sh
#
# The runtime directory defaults to $VPR_PULSE_DIR or ${TMPDIR:-/tmp}/vpr-pulse-$UID,
# so calling the script twice reuses the same daemon.
set -euo pipefail

dir="${VPR_PULSE_DIR:-${TMPDIR:-/tmp}/vpr-pulse-$(id -u)}"
mkdir -p "$dir"
chmod 700 "$dir"
export XDG_RUNTIME_DIR="$dir"
export PULSE_SERVER="unix:$dir/pulse/native"
unset PULSE_RUNTIME_PATH || true

for tool in pulseaudio pactl parec paplay pacat; do
    command -v "$tool" >/dev/null || { echo "pulse-up: $tool is not installed (apt-get install pulseaudio pulseaudio-utils)" >&2; exit 1; }
done

started=0
if ! pactl info >/dev/null 2>&1; then
    started=1
    pulseaudio --daemonize=yes --exit-idle-time=-1 --disallow-exit -n \
        --load="module-native-protocol-unix auth-anonymous=1 socket=$dir/pulse/native" \
        --load="module-null-sink sink_name=vspeaker rate=48000 sink_properties=device.description=vspeaker" \
        --load="module-null-sink sink_name=vmic rate=48000 sink_properties=device.description=vmic" \
        --log-target=file:"$dir/pulse.log" </dev/null >>"$dir/pulse.log" 2>&1
    for _ in $(seq 1 50); do
        pactl info >/dev/null 2>&1 && break
        sleep 0.1
    done
    pactl info >/dev/null 2>&1 || { echo "pulse-up: the daemon did not start, see $dir/pulse.log" >&2; exit 1; }
fi

# Set once: changing the default source later moves every stream that follows it, the
# keep-alive clients included. To record another sink's monitor, set PULSE_SOURCE for the
# recording process instead (e.g. PULSE_SOURCE=vspeaker.monitor for a loopback).
pactl set-default-sink vspeaker
pactl set-default-source vmic.monitor

# One keep-alive client per null sink (its pid is kept in the runtime dir); a fresh daemon
# gets fresh ones, whatever the old pid files say.
for sink in vspeaker vmic; do
    pidfile="$dir/keepalive-$sink.pid"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        if [ "$started" = 0 ]; then
            continue
        fi
        kill "$(cat "$pidfile")" 2>/dev/null || true
    fi
    setsid parec -d "$sink.monitor" --latency-msec=20 --raw >/dev/null </dev/null 2>/dev/null &
    echo $! >"$pidfile"
done

# A fresh daemon stalls its null sinks for ~2 s when the first playback stream connects (seen
# with PulseAudio 16: 0.5 s of audio takes 2.5 s the first time). Pay that here, not in a test.
if [ "$started" = 1 ]; then
    warm=()
    for sink in vspeaker vmic; do
        (head -c 88200 /dev/zero | pacat -d "$sink" --raw --format=s16le --rate=44100 --channels=2) \
            </dev/null >/dev/null 2>&1 &
        warm+=($!)
    done
    wait "${warm[@]}"
fi

echo "export XDG_RUNTIME_DIR='$dir'"
echo "export PULSE_SERVER='unix:$dir/pulse/native'"
