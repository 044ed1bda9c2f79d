#!/usr/bin/env bash
# Smoke test of the Windows build under Wine (Debian's wine64), without Windows:
#
#   fyne-cross/smoke-windows.sh [--no-shim] [--tests] [--gui]
#
# 1. builds sunledger-cli.exe (version from FyneApp.toml + the git commit);
# 2. runs it under Wine. Debian 12's Wine 8.0 cannot start any Go ≥ 1.22 program: Go's
#    runtime needs ProcessPrng from bcryptprimitives.dll, which Wine 8.0 lacks ("fatal error:
#    bcryptprimitives.dll not found"). The script shows that failure, then (unless --no-shim)
#    puts a 12-line stand-in DLL (fyne-cross/wine/bcryptprimitives.c, built with mingw; for
#    this test only, never shipped — real Windows 10/11 has the DLL) into its own Wine
#    prefix and carries on;
# 3. `--version`, `demo --units 50 --years 1` and `verify` in a folder named
#    "业委会 账本 2026" (Chinese and spaces), and `init` in the default data folder, which
#    must be %APPDATA%\Sunledger;
# --tests: also runs storage's data-folder tests compiled for Windows;
# --gui:   also starts sunledger.exe from fyne-cross/dist/windows-amd64 (build.sh windows
#          first) under Xvfb and takes a screenshot, fyne-cross/dist/windows-amd64/wine-gui.png.
# Prints PASS/FAIL/SKIP/KNOWN (the stock-Wine failure above) per step with the reason, exits non-zero if any step failed.
set -uo pipefail
export LANG=zh_CN.UTF-8
cd "$(dirname "$0")/.."
ROOT=$PWD
SHIM=1 TESTS=0 GUI=0
for a in "$@"; do
	case $a in
	--no-shim) SHIM=0 ;;
	--tests) TESTS=1 ;;
	--gui) GUI=1 ;;
	*)
		echo "usage: fyne-cross/smoke-windows.sh [--no-shim] [--tests] [--gui]" >&2
		exit 2
		;;
	esac
done

RESULTS=()
FAILED=0
result() { # PASS|FAIL|SKIP|KNOWN step why
	RESULTS+=("$(printf '%-5s %-34s %s' "$1" "$2" "$3")")
	[ "$1" = FAIL ] && FAILED=1
	printf '== %s %s %s\n' "$1" "$2" "$3" >&2
}
finish() {
	echo
	echo "Windows smoke test under $WINEVERSION (LC_ALL=${LC_ALL:-unset}):"
	printf '  %s\n' "${RESULTS[@]}"
	exit $FAILED
}

# need PACKAGE COMMAND: install a Debian package when its command is missing (as root).
need() {
	command -v "$2" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null
	fi
	command -v "$2" >/dev/null 2>&1 || { echo "smoke-windows.sh: needs $1: sudo apt-get install $1" >&2; exit 1; }
}
PATH=$PATH:/usr/lib/wine # Debian's wine64 package puts wine64 there
need wine64 wine64
need gcc-mingw-w64-x86-64 x86_64-w64-mingw32-gcc
need xvfb xvfb-run
WINE=$(command -v wine64)
WINEVERSION=$("$WINE" --version 2>/dev/null || echo "wine (version unknown)")

SMOKE=$ROOT/fyne-cross/tmp/smoke
rm -rf "$SMOKE"
mkdir -p "$SMOKE"
export WINEPREFIX=$ROOT/fyne-cross/tmp/wine-prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset SUNLEDGER_DATA DISPLAY

# The version string, as build.sh sets it.
go build -o fyne-cross/bin/appmeta ./fyne-cross/appmeta || exit 1
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo nogit)
[ -n "$(git status --porcelain -- '*.go' go.mod go.sum 2>/dev/null)" ] && COMMIT=$COMMIT-dirty
FULL=$(fyne-cross/bin/appmeta version)-$COMMIT
EXE=$SMOKE/sunledger-cli.exe
if CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -ldflags "-s -w -X main.version=$FULL" -o "$EXE" ./cmd/sunledger-cli; then
	result PASS "build sunledger-cli.exe" "$(du -h "$EXE" | cut -f1)"
else
	result FAIL "build sunledger-cli.exe" "go build failed"
	finish
fi

# Wine turns the Unix arguments into the program's UTF-16 command line with the Unix locale's
# charset: without a UTF-8 locale, "业委会 账本 2026" arrives garbled. zh_CN.UTF-8 (if
# generated) also gives Wine a Chinese Windows locale (code page 936), as on committee laptops.
if locale -a 2>/dev/null | grep -qix 'zh_CN.utf-\?8'; then
	export LC_ALL=zh_CN.UTF-8
else
	export LC_ALL=C.UTF-8
fi

# wine RUN-ARGS…: run under Wine with a time limit, output in $OUT, status in $RC.
wine() {
	OUT=$(timeout 600 "$WINE" "$@" 2>&1 | tr -d '\r')
	RC=${PIPESTATUS[0]}
}

# Wine creates its prefix on first use (a minute, once).
"$WINE" wineboot -i >/dev/null 2>&1
rm -f "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" # first, stock Wine
wine "$EXE" --version
if grep -q "bcryptprimitives.dll not found" <<<"$OUT"; then
	why="$WINEVERSION lacks bcryptprimitives.dll (ProcessPrng), which every Go ≥ 1.22 program loads at start: \"$(grep -m1 'fatal error' <<<"$OUT")\""
	if [ $SHIM = 0 ]; then
		result FAIL "start under stock Wine" "$why"
		finish
	fi
	result KNOWN "start under stock Wine" "$why"
	if x86_64-w64-mingw32-gcc -shared -O2 -o "$SMOKE/bcryptprimitives.dll" fyne-cross/wine/bcryptprimitives.c -ladvapi32 &&
		cp "$SMOKE/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"; then
		result PASS "test-only bcryptprimitives.dll" "ProcessPrng over RtlGenRandom, in the test prefix's system32"
	else
		result FAIL "test-only bcryptprimitives.dll" "mingw could not build fyne-cross/wine/bcryptprimitives.c"
		finish
	fi
	wine "$EXE" --version
fi
if [ "$RC" = 0 ] && [ "$OUT" = "sunledger-cli $FULL" ]; then
	result PASS "sunledger-cli.exe --version" "$OUT"
else
	result FAIL "sunledger-cli.exe --version" "exit $RC: $(head -c 300 <<<"$OUT")"
	finish
fi

BOOK_UNIX="$SMOKE/业委会 账本 2026"
BOOK=$("$WINE" winepath -w "$BOOK_UNIX" 2>/dev/null | tr -d '\r')
wine "$EXE" --data "$BOOK" demo --units 50 --years 1
if [ "$RC" = 0 ] && grep -q "50" <<<"$OUT" && [ -d "$BOOK_UNIX" ]; then
	result PASS "demo --units 50 --years 1" "$(tail -1 <<<"$OUT")"
else
	result FAIL "demo --units 50 --years 1" "exit $RC: $(head -c 400 <<<"$OUT")"
fi
wine "$EXE" --data "$BOOK" verify
if [ "$RC" = 0 ] && grep -q "账本完整\|books hold" <<<"$OUT"; then
	result PASS "verify" "$(head -1 <<<"$OUT")"
else
	result FAIL "verify" "exit $RC: $(head -c 400 <<<"$OUT")"
fi

# The default data folder: %APPDATA%\Sunledger inside the prefix.
APPDATA_UNIX=$("$WINE" cmd /c echo %APPDATA% 2>/dev/null | tr -d '\r')
APPDATA_UNIX=$("$WINE" winepath -u "$APPDATA_UNIX" 2>/dev/null | tr -d '\r')
rm -rf "${APPDATA_UNIX%/}/Sunledger"
wine "$EXE" init --name "阳光花园 小区"
if [ "$RC" = 0 ] && [ -d "${APPDATA_UNIX%/}/Sunledger" ]; then
	result PASS "init in the default data folder" "%APPDATA%\\Sunledger = ${APPDATA_UNIX%/}/Sunledger"
else
	result FAIL "init in the default data folder" "exit $RC: $(head -c 300 <<<"$OUT"); no ${APPDATA_UNIX%/}/Sunledger"
fi

if [ $TESTS = 1 ]; then
	if CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go test -c -o "$SMOKE/storage.test.exe" ./storage; then
		wine "$SMOKE/storage.test.exe" -test.run 'DataDir|Open_' -test.v
		n=$(grep -c '^--- PASS' <<<"$OUT")
		# Wine 8.0 lacks NtSetInformationFile(FileDispositionInformationEx), which Go's
		# os.RemoveAll uses on Windows 10+: t.TempDir's clean-up fails there ("unlinkat …:
		# Invalid function"). Those lines alone are Wine's, not Sunledger's.
		real=$(grep -E '^\s+[a-z_]+_test\.go:[0-9]+:' <<<"$OUT" | grep -v 'TempDir RemoveAll cleanup')
		if [ "$RC" = 0 ]; then
			result PASS "storage data-folder tests (Windows)" "$n tests passed"
		elif [ -z "$real" ] && grep -q 'TempDir RemoveAll cleanup' <<<"$OUT"; then
			result KNOWN "storage data-folder tests (Windows)" "$n passed; the rest only failed t.TempDir clean-up: Wine 8.0 lacks FileDispositionInformationEx (os.RemoveAll)"
		else
			result FAIL "storage data-folder tests (Windows)" "$(sed 's/^ *//' <<<"$real" | head -3 | tr '\n' ' ')"
		fi
	else
		result FAIL "storage data-folder tests (Windows)" "go test -c failed"
	fi
fi

if [ $GUI = 1 ]; then
	GUIEXE=$ROOT/fyne-cross/dist/windows-amd64/sunledger.exe
	ZIP=$(ls "$ROOT"/fyne-cross/dist/windows-amd64/sunledger-*-windows-amd64.zip 2>/dev/null | head -1)
	if [ -z "$ZIP" ]; then
		result SKIP "sunledger.exe under Xvfb" "no zip in fyne-cross/dist/windows-amd64: run fyne-cross/build.sh windows first"
	else
		rm -rf "$SMOKE/gui" && mkdir -p "$SMOKE/gui" && unzip -q "$ZIP" -d "$SMOKE/gui"
		GUIEXE=$(ls "$SMOKE"/gui/*/sunledger.exe)
		# A GUI-subsystem program has no console; Wine hands it the Unix stdout all the same.
		wine "$GUIEXE" --version
		if [ "$RC" = 0 ] && grep -qx "sunledger $(fyne-cross/bin/appmeta version)-[0-9a-f]*\(-dirty\)\?" <<<"$OUT"; then
			result PASS "sunledger.exe --version" "$OUT"
		else
			result FAIL "sunledger.exe --version" "exit $RC: $(head -c 300 <<<"$OUT")"
		fi
		SHOT=$ROOT/fyne-cross/dist/windows-amd64/wine-gui.png
		cat >"$SMOKE/gui.sh" <<EOF
#!/usr/bin/env bash
"$WINE" "$GUIEXE" --data "$BOOK" --page register >"$SMOKE/gui.log" 2>&1 &
app=\$!
for i in \$(seq 1 120); do
  if LC_ALL=C.UTF-8 xwininfo -root -tree 2>/dev/null | grep -q '阳光账本'; then break; fi
  kill -0 \$app 2>/dev/null || { echo "sunledger.exe exited before its window appeared" >&2; exit 1; }
  sleep 0.5
done
LC_ALL=C.UTF-8 xwininfo -root -tree | grep -q '阳光账本' || { echo "no window after 60 s" >&2; kill \$app; exit 1; }
sleep 5
import -window root "$SHOT"
kill \$app; "$WINE" wineserver -k 2>/dev/null; wait \$app 2>/dev/null
exit 0
EOF
		chmod +x "$SMOKE/gui.sh"
		if xvfb-run -a -s "-screen 0 1280x800x24" "$SMOKE/gui.sh" 2>"$SMOKE/gui.err"; then
			sd=$(convert "$SHOT" -format '%[fx:standard_deviation]' info:)
			if awk -v s="$sd" 'BEGIN { exit !(s >= 0.01) }'; then
				result PASS "sunledger.exe under Xvfb" "window drawn: $SHOT"
			else
				result FAIL "sunledger.exe under Xvfb" "the screenshot is uniform (nothing drawn): $SHOT"
			fi
		else
			result FAIL "sunledger.exe under Xvfb" "$(cat "$SMOKE/gui.err") $(grep -v '^$' "$SMOKE/gui.log" | head -5 | tr '\n' ' ')"
		fi
	fi
fi
finish
