#!/usr/bin/env bash
# Installs the built .deb on this machine, starts the installed binary under
# Xvfb on its built-in training package, checks that the first screen is
# painted, and removes the package again. Needs root (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
deb=${1:-$(ls -t target/deb/*.deb | head -1)}
size_kib=$(du -k "$deb" | cut -f1)
echo "deb-test: $deb ($size_kib KiB; goal ≤ 15 MB)"
[ "$size_kib" -le 15360 ] || { echo "deb-test: package larger than 15 MB" >&2; exit 1; }
depends=$(dpkg-deb -f "$deb" Depends)
echo "deb-test: Depends: $depends"
dups=$(echo "$depends" | tr ',' '\n' | sed 's/(.*//; s/^ *//; s/ *$//' | sort | uniq -d)
[ -z "$dups" ] || { echo "deb-test: dependencies listed more than once: $dups" >&2; exit 1; }
for need in libwebkit2gtk-4.1-0 libgtk-3-0 libasound2; do
  echo "$depends" | grep -q "$need" || { echo "deb-test: Depends lacks $need" >&2; exit 1; }
done
dpkg -i "$deb" >/dev/null
trap 'dpkg -r vpr-app >/dev/null 2>&1 || true' EXIT
test -x /usr/bin/vpr-app
ls /usr/lib/vpr-app/audio-fixtures/packages/training/package.json >/dev/null
ls /usr/share/vpr-app/kiosk/install-kiosk-session.sh >/dev/null

data=$(mktemp -d); log=$(mktemp)
Xvfb :93 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
DISPLAY=:93 VPR_DATA_DIR="$data" RUST_LOG=info setsid /usr/bin/vpr-app >"$log" 2>&1 &
app=$!
ok=0
for _ in $(seq 1 60); do
  if grep -q "ui rendered" "$log"; then ok=1; break; fi
  sleep 0.5
done
kill -9 -- "-$app" 2>/dev/null || kill -9 "$app" 2>/dev/null || true
kill "$xvfb" 2>/dev/null || true
if [ "$ok" != 1 ]; then
  echo "deb-test: the installed app did not paint its first screen" >&2
  tail -20 "$log" >&2
  exit 1
fi
echo "deb-test: the installed app started and painted its first screen"
dpkg -r vpr-app >/dev/null
test ! -e /usr/bin/vpr-app
echo "deb-test: removed cleanly"
