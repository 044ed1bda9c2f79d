#!/usr/bin/env bash
# Release builds of Sunledger (阳光账本): the window program and the command line, packed
# for committee laptops under fyne-cross/dist/<os>-amd64/.
#
#   fyne-cross/build.sh windows   sunledger.exe (no console window, icon, version info) and
#                                 sunledger-cli.exe, cross-compiled with mingw-w64 → zip
#   fyne-cross/build.sh linux     sunledger and sunledger-cli with a .desktop file, the icon
#                                 and install.sh → tar.gz
#   fyne-cross/build.sh all       both (the default)
#
# The version, build number, name and icon come from FyneApp.toml (read by
# fyne-cross/appmeta); both programs get -X main.version=VERSION-COMMIT[-dirty], which
# `--version` prints. Needs Go and, on Debian/Ubuntu, gcc-mingw-w64-x86-64 (Windows) or
# libgl1-mesa-dev xorg-dev (Linux); run as root it installs what is missing.
# A cold Windows build of the window program takes 5–10 minutes on 2 cores (cgo: GLFW, GL).
set -euo pipefail
export LANG=zh_CN.UTF-8
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${1:-all}
case $TARGET in windows | linux | all) ;; *)
	echo "usage: fyne-cross/build.sh windows|linux|all" >&2
	exit 2
	;;
esac

say() { printf '== %s\n' "$*" >&2; }
die() {
	printf 'build.sh: %s\n' "$*" >&2
	exit 1
}

# need PACKAGE COMMAND: install a Debian package when its command is missing (as root), else
# say which command installs it.
need() {
	command -v "$2" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		say "installing $1"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null ||
			{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null; }
	fi
	command -v "$2" >/dev/null 2>&1 || die "$2 is missing: sudo apt-get install $1"
}

mkdir -p fyne-cross/bin fyne-cross/tmp
go build -o fyne-cross/bin/appmeta ./fyne-cross/appmeta
appmeta() { fyne-cross/bin/appmeta "$@"; }
VERSION=$(appmeta version)
BUILD=$(appmeta build)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo nogit)
# -dirty: the build compiled Go files that differ from the commit.
if [ -n "$(git status --porcelain -- '*.go' go.mod go.sum 2>/dev/null)" ]; then
	COMMIT=$COMMIT-dirty
fi
FULL=$VERSION-$COMMIT
LDFLAGS="-s -w -X main.version=$FULL"
say "Sunledger $FULL (build $BUILD)"

# Each program is built from a copy of its package under fyne-cross/tmp/_src (ignored by
# git and by ./... patterns), so the Windows resource file (.syso) never appears in cmd/.
WORK=$(mktemp -d "$ROOT/fyne-cross/tmp/_src.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# stage PROGRAM: copy cmd/PROGRAM (without tests) into $WORK and print the package path.
stage() {
	local dir=$WORK/$1
	rm -rf "$dir"
	mkdir -p "$dir"
	cp -R "cmd/$1/." "$dir/"
	rm -rf "$dir"/*_test.go "$dir/testdata"
	echo "./${dir#"$ROOT"/}"
}

# winres PROGRAM DESCRIPTION: icon, version info and manifest as rsrc_windows_amd64.syso
# (the suffix keeps it out of every other build).
winres() {
	local dir=$WORK/$1 res=$WORK/res-$1
	appmeta winres -out "$res" -exe "$1.exe" -desc "$2" -version "$FULL"
	(cd "$res" && x86_64-w64-mingw32-windres -c 65001 -O coff -i app.rc -o "$dir/rsrc_windows_amd64.syso")
}

# check_pe FILE SUBSYSTEM: the static checks a Windows build must pass without Windows.
check_pe() {
	local facts
	facts=$(appmeta pecheck "$1")
	printf '%s\n' "$facts" | sed 's/^/   /' >&2
	grep -qx "subsystem: $2" <<<"$facts" || die "$1: subsystem is not $2"
	for r in GROUP_ICON ICON VERSION MANIFEST; do
		grep -q "^resources:.* $r×\|^resources: $r×" <<<"$facts" || die "$1: no $r resource"
	done
	grep -qx "version ProductVersion: $FULL" <<<"$facts" || die "$1: version resource lacks $FULL"
	# Only DLLs every Windows 10/11 has: a mingw runtime DLL (libwinpthread-1.dll,
	# libgcc_s_seh-1.dll) would stop the program on a laptop without mingw.
	local dll
	for dll in $(sed -n 's/^imports: //p' <<<"$facts"); do
		case ${dll,,} in
		kernel32.dll | user32.dll | gdi32.dll | opengl32.dll | shell32.dll | ole32.dll | advapi32.dll | \
			winmm.dll | msvcrt.dll | ws2_32.dll | imm32.dll | dwmapi.dll | shlwapi.dll | version.dll | \
			api-ms-win-*.dll | comdlg32.dll | comctl32.dll | uxtheme.dll | oleaut32.dll | crypt32.dll | \
			bcrypt.dll | ntdll.dll | winspool.drv | setupapi.dll | hid.dll | dinput8.dll | xinput*.dll | \
			userenv.dll | iphlpapi.dll | secur32.dll | netapi32.dll | powrprof.dll | shcore.dll | dbghelp.dll) ;;
		*) die "$1 needs $dll, which Windows does not ship" ;;
		esac
	done
}

build_windows() {
	need gcc-mingw-w64-x86-64 x86_64-w64-mingw32-gcc
	need binutils-mingw-w64-x86-64 x86_64-w64-mingw32-windres
	need zip zip
	local out=fyne-cross/dist/windows-amd64 name=Sunledger-$VERSION
	local pkg=$WORK/pkg-windows/$name
	rm -rf "$out" "$WORK/pkg-windows"
	mkdir -p "$out" "$pkg"

	say "windows: sunledger-cli.exe"
	local cli
	cli=$(stage sunledger-cli)
	winres sunledger-cli "阳光账本命令行 Sunledger command line"
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -ldflags "$LDFLAGS" -o "$pkg/sunledger-cli.exe" "$cli"

	say "windows: sunledger.exe (cgo with mingw; minutes when cold)"
	local gui
	gui=$(stage sunledger)
	winres sunledger "阳光账本 Sunledger"
	CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ CGO_ENABLED=1 GOOS=windows GOARCH=amd64 \
		go build -trimpath -ldflags "$LDFLAGS -H windowsgui" -o "$pkg/sunledger.exe" "$gui"

	say "windows: checking the programs without running them"
	check_pe "$pkg/sunledger.exe" "Windows GUI"
	check_pe "$pkg/sunledger-cli.exe" "Windows CUI"

	cp README.md theme/font/LICENSE-wqy-microhei.txt "$pkg/"
	# Notepad-friendly first-steps note: UTF-8 with BOM, CRLF line ends.
	{
		printf '\xef\xbb\xbf'
		sed "s/@VERSION@/$FULL/" fyne-cross/windows/README-Windows.txt | sed 's/$/\r/'
	} >"$pkg/README-Windows.txt"
	local zipfile=$ROOT/$out/sunledger-$VERSION-windows-amd64.zip
	(cd "$WORK/pkg-windows" && TZ=UTC find "$name" -exec touch -d "@$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)" {} + &&
		zip -q -X -r "$zipfile" "$name")
	(cd "$out" && sha256sum ./*.zip >SHA256SUMS)
	unzip -l "$zipfile" >&2
	say "windows: $out/$(basename "$zipfile")"
}

build_linux() {
	need gcc gcc
	local out=fyne-cross/dist/linux-amd64 name=sunledger-$VERSION-linux-amd64
	local pkg=$WORK/pkg-linux/$name id
	id=$(appmeta id)
	rm -rf "$out" "$WORK/pkg-linux"
	mkdir -p "$out" "$pkg"

	say "linux: sunledger-cli"
	local cli gui
	cli=$(stage sunledger-cli)
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags "$LDFLAGS" -o "$pkg/sunledger-cli" "$cli"
	say "linux: sunledger (cgo: needs libgl1-mesa-dev xorg-dev)"
	gui=$(stage sunledger)
	CGO_ENABLED=1 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags "$LDFLAGS" -o "$pkg/sunledger" "$gui" ||
		die "the window program did not build: sudo apt-get install libgl1-mesa-dev xorg-dev"

	say "linux: --version"
	local v
	for p in sunledger sunledger-cli; do
		v=$("$pkg/$p" --version)
		echo "   $v" >&2
		[ "$v" = "$p $FULL" ] || die "$p --version printed \"$v\", want \"$p $FULL\""
	done

	appmeta desktop >"$pkg/$id.desktop"
	cp "$(appmeta icon)" "$pkg/$id.png"
	cp fyne-cross/linux/install.sh "$pkg/install.sh"
	chmod 755 "$pkg/install.sh" "$pkg/sunledger" "$pkg/sunledger-cli"
	cp README.md theme/font/LICENSE-wqy-microhei.txt "$pkg/"
	local tgz=$ROOT/$out/$name.tar.gz
	tar -C "$WORK/pkg-linux" --owner=0 --group=0 --numeric-owner --sort=name -czf "$tgz" "$name"
	(cd "$out" && sha256sum ./*.tar.gz >SHA256SUMS)
	tar -tzvf "$tgz" >&2
	say "linux: $out/$(basename "$tgz")"
}

case $TARGET in
windows) build_windows ;;
linux) build_linux ;;
all)
	build_windows
	build_linux
	;;
esac
say "done: Sunledger $FULL"
