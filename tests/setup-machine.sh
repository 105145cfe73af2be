#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test the app:
# system packages (apt), the UI's npm packages, and tauri-driver for the
# end-to-end tests. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential pkg-config curl ca-certificates
  libwebkit2gtk-4.1-dev libasound2-dev            # Tauri (WebKitGTK) and cpal (ALSA)
  xvfb xauth webkit2gtk-driver imagemagick        # end-to-end tests: display, WebDriver, screenshots
  alsa-utils libasound2-plugins pulseaudio pulseaudio-utils  # the audio stack the tests run on
  sox espeak-ng                                   # audio fixtures
  poppler-utils fonts-dejavu-core unzip           # PDF printouts rendered to PNG, XLSX scanned in tests
  desktop-file-utils shellcheck                   # kiosk session files and scripts checked
  jq                                              # tests/run reads cargo's list of test binaries
  xdotool x11-xkb-utils x11-utils                 # kiosk e2e: real key presses, layouts, window geometry
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: Rust is needed (https://rustup.rs)" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: Node.js 20+ with npm is needed" >&2; exit 1; }

if [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ] && ! command -v tauri-driver >/dev/null; then
  echo "setup: installing tauri-driver" >&2
  cargo install tauri-driver --locked --version 2.1.0 -q
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  # The lock file is complete (per-platform optional packages included):
  # install exactly what it locks.
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
