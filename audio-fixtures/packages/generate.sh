#!/usr/bin/env bash
# Regenerates the listening tracks of the demo and training packages from their scripts
# (media/*.txt beside each track): espeak-ng speaks the text, sox makes it 22,050 Hz mono
# 16-bit WAV. Prints each track's length: it must match `duration_s` in package.json
# (the package loader checks it to within a second).
#
# Usage: audio-fixtures/packages/generate.sh        (needs espeak-ng and sox)
set -euo pipefail
cd "$(dirname "$0")"

voice_for() {
    case "$1" in
        en-*|ege-en-*|oge-en-*) echo "en-gb" ;;
        de-*) echo "de" ;;
        fr-*) echo "fr" ;;
        training|fixture-*) echo "en-gb" ;;
        *) echo "unknown package $1" >&2; return 1 ;;
    esac
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for pkg in */; do
    pkg="${pkg%/}"
    [ -d "$pkg/media" ] || continue
    for script in "$pkg"/media/*.txt; do
        [ -e "$script" ] || continue
        out="${script%.txt}.wav"
        # The briefing read aloud is Russian, whatever the work's language.
        case "$(basename "$script")" in
            briefing*) voice="ru" ;;
            *) voice="$(voice_for "$pkg")" ;;
        esac
        # -s 150 words per minute, -g 4: a slightly slower, clearer pace for learners.
        espeak-ng -v "$voice" -s 150 -g 4 -f "$script" -w "$tmp/raw.wav"
        # 0.5 s of silence before and after so the first word is not clipped.
        sox "$tmp/raw.wav" -r 22050 -c 1 -b 16 "$out" pad 0.5 0.5
        printf '%s\t%.1f s\n' "$out" "$(soxi -D "$out")"
    done
done
