#!/bin/sh
# Regenerates wqy-microhei.ttf: face 0 of Debian's fonts-wqy-microhei TTC, saved
# as a plain TrueType-outline TTF (Fyne 2.7 panics on TTC; gofpdf needs TTF).
# Requires: apt-get install -y fonts-wqy-microhei python3-fonttools
set -eu
cd "$(dirname "$0")"
/usr/bin/python3 -c 'import sys; from fontTools.ttLib import TTCollection; f = TTCollection(sys.argv[1]).fonts[0]; f.recalcTimestamp = f.recalcBBoxes = False; f.save(sys.argv[2])' \
	/usr/share/fonts/truetype/wqy/wqy-microhei.ttc wqy-microhei.ttf
