#!/usr/bin/env bash
# Builds the .deb (Debian, Ubuntu, Astra Linux) with the npm Tauri CLI:
# release build with the UI embedded, the training package and the headset
# phrase as resources, the kiosk session scripts under /usr/share/vpr-app/kiosk.
# Prints the package path and size.
set -euo pipefail
cd "$(dirname "$0")/.."
(cd ui && npm run build --silent)
ui/node_modules/.bin/tauri build --bundles deb --ci >&2
deb=$(ls -t target/release/bundle/deb/*.deb | head -1)
mkdir -p target/deb
cp "$deb" target/deb/
echo "target/deb/$(basename "$deb") $(du -k "$deb" | cut -f1) KiB"
