#!/usr/bin/env bash
# Regenerate the audio fixtures (speech and tones) used by the audio engine's tests and the
# headset check: 22,050 Hz, mono, 16-bit PCM WAV, a few seconds each.
# Needs espeak-ng and sox (apt-get install espeak-ng sox). The output is deterministic for a
# given espeak-ng/sox version; the committed files are the reference.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
speech="$here"
tones="$here/../tones"
mkdir -p "$tones"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

to_fixture() { # in.wav out.wav: resample to the station format, trim to what sox says
    sox -q "$1" -r 22050 -c 1 -b 16 -e signed-integer "$2" "${@:3}"
}

# Speech: the headset check's test phrase (Russian) and a short English answer-like sample.
espeak-ng -v ru -s 150 -w "$tmp/phrase-ru.wav" \
    "Проверка звука. Если вы слышите эту фразу, наушники работают."
to_fixture "$tmp/phrase-ru.wav" "$speech/headset-phrase-ru.wav" norm -3
espeak-ng -v en-gb -s 150 -w "$tmp/answer-en.wav" \
    "My name is Anna. I live in a small town. In my free time I like reading books and playing tennis."
to_fixture "$tmp/answer-en.wav" "$speech/answer-en.wav" norm -3

# Tones: a clean 1 kHz tone at -6 dBFS, a hard-clipped one, and digital silence.
sox -q -n -r 22050 -c 1 -b 16 -e signed-integer "$tones/sine-1khz-3s.wav" synth 3 sine 1000 vol 0.5
sox -q -n -r 22050 -c 1 -b 16 -e signed-integer "$tones/clipped-440hz-3s.wav" synth 3 sine 440 vol 4.0 2>/dev/null \
    || sox -q -n -r 22050 -c 1 -b 16 -e signed-integer "$tones/clipped-440hz-3s.wav" synth 3 square 440
sox -q -n -r 22050 -c 1 -b 16 -e signed-integer "$tones/silence-3s.wav" trim 0 3

for f in "$speech"/*.wav "$tones"/*.wav; do
    printf '%s\t%s s\n' "$(basename "$f")" "$(soxi -D "$f")"
done
