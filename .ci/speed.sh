#!/usr/bin/env bash
# Speed of the commands that read the book, next to ledger-cli's `bal` on the same book's
# exported journal, in one run (docs/record-log.md, "Measured"; issue 27's targets).
#
#   bash .ci/speed.sh DATA [ROUNDS]
#
# DATA is a book folder, e.g. one made once with
# `sunledger-cli --data DATA demo --units 3000 --years 10`. The journal is exported to
# DATA.journal (once: delete it after the book changes). Each round runs `ledger -f
# DATA.journal bal` and then each of our commands, so every figure has a `ledger bal` run
# beside it on a machine whose speed drifts; the ratio is taken round by round, the median
# of the rounds is printed. Wall seconds and CPU seconds (user + system) are both shown: on a
# shared machine CPU compares better, and verify runs on every core where ledger runs on one.
# Printing a report writes to the book's print log (docs/notices.md): the book is written to.
# Not part of CI: a developer's measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:?usage: bash .ci/speed.sh DATA [ROUNDS]}"
ROUNDS="${2:-3}"
. .ci/env.sh
command -v ledger >/dev/null || { echo "ledger (ledger-cli) is not installed: run .ci/deps.sh" >&2; exit 1; }
mkdir -p bin
go build -o bin/sunledger-cli ./cmd/sunledger-cli
CLI="$PWD/bin/sunledger-cli"
J="$DATA.journal"
if [ ! -s "$J" ]; then
  "$CLI" --data "$DATA" ledger export --format ledger --out "$J"
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# The newest complete quarter and the month before the journal's last date (a demo bills
# through last month); QUARTER=YYYYQn and MONTH=YYYY-MM override them.
last=$(grep -E '^[0-9]{4}[-/][0-9]{2}[-/][0-9]{2}' "$J" | cut -c1-10 | tr / - | sort | tail -1)
y=${last:0:4}; m=$((10#${last:5:2}))
q=$(( (m - 1) / 3 )); qy=$y
if [ "$q" -eq 0 ]; then q=4; qy=$((y - 1)); fi
if [ "$m" -eq 1 ]; then month="$((y - 1))-12"; else month=$(printf '%s-%02d' "$y" $((m - 1))); fi
if [ -n "${QUARTER:-}" ]; then qy=${QUARTER:0:4}; q=${QUARTER:5:1}; fi
month="${MONTH:-$month}"

names=(balance verify quarterly fee-notices)
cmds=(
  "$CLI --data $DATA ledger balance"
  "$CLI --data $DATA verify"
  "$CLI --data $DATA report quarterly --year $qy --quarter $q --out $OUT/q.pdf"
  "$CLI --data $DATA report fee-notices --period $month --due 2099-12-31 --out $OUT/n.pdf"
)

# run NAME CMD: one timed run; appends "wall cpu rss_kb" to $OUT/NAME.
run() {
  local name="$1"; shift
  /usr/bin/time -f '%e %U %S %M' -o "$OUT/t" bash -c "$*" >/dev/null 2>"$OUT/err" || { echo "$name failed:" >&2; cat "$OUT/err" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$OUT/t" >>"$OUT/$name"
}

echo "book $DATA ($(du -sh "$DATA" | cut -f1)), journal $(du -h "$J" | cut -f1), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "quarterly: ${qy}Q$q; fee notices: $month; $ROUNDS rounds"
"$CLI" --data "$DATA" ledger balance >/dev/null # the first open after a change checks new tables once
for r in $(seq "$ROUNDS"); do
  run ledger "ledger -f $J bal"
  for i in "${!names[@]}"; do
    run "${names[$i]}" "${cmds[$i]}"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$OUT/$1"; }
ratio() { paste -d' ' <(col "$1" "$3") <(col ledger "$3") | awk '{printf "%.3f\n", $1 / $2}' | median; }
printf '%-12s %9s %9s %9s %11s %11s\n' command wall_s cpu_s rss_MB "wall/ledger" "cpu/ledger"
for n in ledger "${names[@]}"; do
  [ -s "$OUT/$n" ] || continue
  printf '%-12s %9s %9s %9s %11s %11s\n' "$n" "$(col "$n" 1 | median)" "$(col "$n" 2 | median)" \
    "$(col "$n" 3 | awk '{print int($1/1024)}' | median)" "$(ratio "$n" x 1)" "$(ratio "$n" x 2)"
done
