#!/usr/bin/env bash
# Regenerate the media fixtures: the formats a package's listening tracks and photos come in
# (MP3, OGG Vorbis, FLAC; JPEG, PNG). The committed files are the reference: tests never run
# this script. Needs espeak-ng, sox, lame, vorbis-tools, flac and imagemagick
# (apt-get install espeak-ng sox lame vorbis-tools flac imagemagick).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# One English phrase (about 3.2 s), normalised to -3 dBFS.
espeak-ng -v en-gb -s 150 -w "$tmp/phrase.wav" "Listen to the dialogue and choose the right answer."
sox -q "$tmp/phrase.wav" -r 44100 "$tmp/p44.wav" norm -3
sox -q "$tmp/phrase.wav" -r 16000 "$tmp/p16.wav" norm -3
sox -q "$tmp/p44.wav" -c 2 "$tmp/p44s.wav"

lame --quiet -b 64 -m m "$tmp/p44.wav" "$here/phrase.mp3"          # MP3, 44.1 kHz mono, 64 kbit/s CBR
oggenc -Q -q 1 "$tmp/p44s.wav" -o "$here/phrase.ogg"               # Ogg Vorbis, 44.1 kHz stereo
flac -s -8 --no-padding -f "$tmp/p16.wav" -o "$here/phrase.flac"   # FLAC, 16 kHz mono, 16 bit

# A photo-like JPEG (640x480) and a drawn PNG scene (400x300).
convert -seed 7 -size 640x480 plasma:skyblue-forestgreen -blur 0x1 -strip -quality 80 "$here/photo.jpg"
convert -size 400x300 xc:'#bfe6ff' \
    -fill '#7ccf5b' -draw 'rectangle 0,190 400,300' \
    -fill '#ffd84a' -draw 'circle 340,55 340,85' \
    -fill '#8a5a2b' -draw 'rectangle 55,130 69,200' \
    -fill '#2f9e44' -draw 'circle 62,115 62,155' \
    -fill '#f4c7a1' -draw 'circle 275,215 275,224' \
    -fill '#e03131' -draw 'rectangle 268,224 282,250' \
    -stroke '#333333' -strokewidth 4 -draw 'line 270,250 266,268' -draw 'line 280,250 284,268' \
    -depth 8 -strip -define png:exclude-chunks=date,time "$here/park.png"

ls -l "$here"/phrase.* "$here"/photo.jpg "$here"/park.png
