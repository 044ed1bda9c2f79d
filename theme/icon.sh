#!/bin/sh
# Regenerates icon.png (512x512 app icon): the character 账 ("ledger") in
# white on a deep-blue rounded square, with a small golden sun (8 rays) in the
# top-right corner. Drawn with ImageMagick 6 using the bundled font
# (font/wqy-microhei.ttf).
# Requires: apt-get install -y imagemagick
set -eu
cd "$(dirname "$0")"
# Sun centre (cx,cy), disc radius r, rays from r1 to r2.
rays=$(awk 'BEGIN { cx = 392; cy = 120; r1 = 52; r2 = 72
	for (i = 0; i < 8; i++) { a = i * 3.14159265 / 4
		printf "line %d,%d %d,%d ", cx + r1*cos(a), cy + r1*sin(a), cx + r2*cos(a), cy + r2*sin(a) } }')
convert -size 512x512 xc:none \
	-fill '#1F4E8C' -draw 'roundrectangle 16,16 495,495 96,96' \
	-fill '#F5B800' -draw 'circle 392,120 392,82' \
	-stroke '#F5B800' -strokewidth 10 -draw "$rays" \
	-stroke none -fill white -font font/wqy-microhei.ttf -pointsize 290 \
	-gravity center -annotate -36+50 '账' \
	-strip -define png:exclude-chunks=date,time \
	PNG32:icon.png
