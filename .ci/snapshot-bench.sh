#!/usr/bin/env bash
# Issue 27's snapshot figures, side by side with ledger-cli on the same book in one run:
# the zip's size, `snapshot export` and `snapshot verify` against `ledger -f JOURNAL bal`
# on the journal the book exports: wall seconds (the export's goal is ≤ 2× `bal`'s), CPU
# seconds (user + system: on a shared machine they drift less) and peak RSS. The book is copied first (an export records the
# head it publishes); the key is made for the run without a passphrase (an encrypted
# committee key adds minisign's scrypt: about 1 GiB and 3-5 s before the book is read).
# A first export, not measured, settles the copy as a book in daily use is (Badger's
# compaction of a freshly built demo, and an earlier checkpoint to prove consistency
# with). Then the owner viewer of the zip in headless Chromium with the CPU throttled 4x
# (BenchmarkViewerVerdict: time to the verdict, JS heap, a quarter opened and checked).
#
#   bash .ci/snapshot-bench.sh BOOK_DIR        e.g. a 3,000-unit 10-year demo:
#   sunledger-cli --data /tmp/big demo --units 3000 --years 10 && bash .ci/snapshot-bench.sh /tmp/big
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
BOOK="${1:?usage: snapshot-bench.sh BOOK_DIR}"
for tool in ledger minisign /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
go build -o "$W/sunledger-cli" ./cmd/sunledger-cli
cp -a "$BOOK" "$W/book"
minisign -G -W -p "$W/k.pub" -s "$W/k.key" -f >/dev/null
CLI=("$W/sunledger-cli" --data "$W/book")
"${CLI[@]}" ledger export --format ledger --out "$W/journal.ledger" >/dev/null

# measure NAME CMD...: wall seconds, CPU seconds (user+sys) and peak RSS in MB, into
# $wall, $cpu and $rss
measure() {
  local name="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$W/time" "$@" >"$W/$name.out" 2>"$W/$name.err" || { cat "$W/$name.err" >&2; exit 1; }
  read -r e u s m <"$W/time"
  wall=$e
  cpu=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')
  rss=$(awk -v m="$m" 'BEGIN{printf "%.0f", m/1024}')
}
env SUNLEDGER_PASSPHRASE=x "${CLI[@]}" snapshot export --key "$W/k.key" --out "$W/warm.zip" >/dev/null
measure bal ledger -f "$W/journal.ledger" bal
bal=$cpu; balrss=$rss; balwall=$wall
measure export env SUNLEDGER_PASSPHRASE=x "${CLI[@]}" snapshot export --key "$W/k.key" --out "$W/snap.zip"
exp=$cpu; exprss=$rss; expwall=$wall
measure verify "$W/sunledger-cli" snapshot verify "$W/snap.zip" --pub "$W/k.pub"
ver=$cpu; verrss=$rss; verwall=$wall
zip=$(stat -c %s "$W/snap.zip")
unzip -q "$W/snap.zip" -d "$W/u"
page=$(stat -c %s "$W/u/index.html")
entries=$(grep -o '"entries": [0-9]*' "$W/u/manifest.json" | grep -o '[0-9]*')
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
printf 'book %s: %s entries, journal %s MB as ledger-cli reads it (%s cores)\n' "$BOOK" "$entries" "$(( $(stat -c %s "$W/journal.ledger") / 1048576 ))" "$(nproc)"
printf '%-28s %8s %8s %10s %10s %10s\n' "" "wall s" "CPU s" "peak MB" "wall × bal" "CPU × bal"
printf '%-28s %8s %8s %10s %10s %10s\n' "ledger -f journal bal" "$balwall" "$bal" "$balrss" "1.00" "1.00"
printf '%-28s %8s %8s %10s %10s %10s\n' "sunledger snapshot export" "$expwall" "$exp" "$exprss" "$(ratio "$expwall" "$balwall")" "$(ratio "$exp" "$bal")"
printf '%-28s %8s %8s %10s %10s %10s\n' "sunledger snapshot verify" "$verwall" "$ver" "$verrss" "$(ratio "$verwall" "$balwall")" "$(ratio "$ver" "$bal")"
printf 'zip %.1f MB (%s files), index.html %.2f MB, journal %s MB unzipped\n' "$(awk -v z="$zip" 'BEGIN{print z/1048576}')" \
  "$(find "$W/u" -type f | wc -l)" "$(awk -v p="$page" 'BEGIN{print p/1048576}')" "$(du -sm "$W/u/journal" | cut -f1)"
SUNLEDGER_BENCH_SNAPSHOT="$W/snap.zip" go test ./snapshot -run '^$' -bench ViewerVerdict -benchtime 1x 2>&1 | grep -E '^viewer|FAIL|verdict ' || true
