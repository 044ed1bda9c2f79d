#!/usr/bin/env bash
# Installs what Sunledger needs to build, test and run on Debian/Ubuntu: a C compiler and
# the OpenGL/X11 headers for Fyne, Xvfb and ImageMagick for the window smoke test,
# poppler-utils to read PDFs back, minisign/hledger/ledger to check our files with the
# real programs, and Go if it is missing. Safe to run again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
pkgs=(gcc libgl1-mesa-dev xorg-dev xvfb x11-utils xdotool imagemagick poppler-utils minisign hledger ledger fonts-wqy-microhei zip unzip)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
  missing+=(golang-go)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
