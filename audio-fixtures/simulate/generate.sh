#!/bin/sh
# Regenerates the spoken-answer fixtures `vpr simulate station` puts into its
# bundles: 22,050 Hz, mono, 16-bit PCM, a few seconds each.
# Needs espeak-ng and sox. Run from any directory.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

speak() { # voice, text, output
    espeak-ng -v "$1" -s 140 -w "$tmp/raw.wav" "$2"
    sox "$tmp/raw.wav" -r 22050 -c 1 -b 16 -e signed-integer "$3" pad 0.3 0.3
}

speak en "My favourite season is summer because the days are long and I can swim in the river." answer-en-1.wav
speak en "In the picture I can see a family having a picnic in the park." answer-en-2.wav
speak de "Ich wohne in einer kleinen Stadt. Am Wochenende spiele ich gern Fußball." answer-de-1.wav
# A quiet, hesitant answer: low level with room noise.
espeak-ng -v fr -s 120 -w "$tmp/raw.wav" "Euh... je pense que... les vacances sont importantes."
sox "$tmp/raw.wav" -r 22050 -c 1 -b 16 -e signed-integer "$tmp/quiet.wav" vol 0.15 pad 0.5 0.5
sox -n -r 22050 -c 1 -b 16 -e signed-integer "$tmp/noise.wav" synth "$(soxi -D "$tmp/quiet.wav")" pinknoise vol 0.01
sox -m "$tmp/quiet.wav" "$tmp/noise.wav" -b 16 answer-fr-quiet.wav
# A steady tone (microphone test signal).
sox -n -r 22050 -c 1 -b 16 -e signed-integer tone-440.wav synth 2 sine 440 vol 0.3
soxi -r -c -b -D ./*.wav >/dev/null
