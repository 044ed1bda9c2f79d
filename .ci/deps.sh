#!/usr/bin/env bash
# Installs what Sunledger needs to build, test and run on Debian/Ubuntu: a C compiler and
# the OpenGL/X11 headers for Fyne, Xvfb and ImageMagick for the window smoke test,
# poppler-utils to read PDFs back, Chromium for the owner viewer's browser tests, minisign/hledger/ledger to check our files with the
# real programs, Node.js with the npm package s3rver (an independent S3-compatible store that
# snapshot publish is tested against), and Go if it is missing. Safe to run again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
pkgs=(gcc libgl1-mesa-dev xorg-dev xvfb x11-utils xdotool imagemagick poppler-utils zbar-tools minisign hledger ledger fonts-wqy-microhei zip unzip chromium)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
  missing+=(golang-go)
fi
if ! command -v npm >/dev/null 2>&1; then
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  missing+=(npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# s3rver, pinned: s3store/s3rver_test.go checks its version.
S3RVER_VERSION=3.7.1
if [ "$(s3rver --version 2>/dev/null)" != "$S3RVER_VERSION" ]; then
  echo "installing: s3rver@$S3RVER_VERSION (npm)"
  $SUDO npm install -g --no-audit --no-fund --loglevel=error "s3rver@$S3RVER_VERSION" >/dev/null
fi

# Go 1.21 or newer fetches the toolchain go.mod asks for by itself (GOTOOLCHAIN=auto);
# an older system Go cannot, so say what to do instead of failing later in a build.
export PATH="/usr/local/go/bin:$PATH"
minor=$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
if [ -z "$minor" ] || [ "$minor" -lt 21 ]; then
  echo "Go $(go env GOVERSION 2>/dev/null || echo '(none)') is too old: install Go 1.21 or newer (https://go.dev/dl/), then run this again." >&2
  exit 1
fi
