#!/usr/bin/env bash
# The README's first command: install what is missing, build both programs, make a demo
# community (once) and open it in the Sunledger window.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh
. .ci/env.sh
DATA="${SUNLEDGER_DATA:-$HOME/sunledger-demo}"
mkdir -p bin
echo "building (the first build of the window takes a few minutes)…"
go build -o bin/sunledger-cli ./cmd/sunledger-cli
go build -o bin/sunledger ./cmd/sunledger
if ! ./bin/sunledger-cli --data "$DATA" units list >/dev/null 2>&1; then
  ./bin/sunledger-cli --data "$DATA" demo --units 1200 --years 2
fi
echo "opening the demo community in $DATA: sign in as any member (e.g. 张建国) with the passphrase sunledger-demo"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "no display found: starting under a virtual display (Xvfb); stop with Ctrl-C"
  exec xvfb-run -a -s "-screen 0 1366x768x24" ./bin/sunledger --data "$DATA"
fi
exec ./bin/sunledger --data "$DATA"
