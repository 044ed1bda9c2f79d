#!/bin/sh
# Installs Sunledger (阳光账本) for the current user: the programs into ~/.local/bin, the
# menu entry and the icon into ~/.local/share. Run it from the unpacked folder:
#   ./install.sh            (or PREFIX=/usr/local sudo ./install.sh for everyone)
# The book itself lives in $XDG_DATA_HOME/sunledger (default ~/.local/share/sunledger).
set -eu
cd "$(dirname "$0")"
PREFIX=${PREFIX:-$HOME/.local}
ID=org.sunledger.app
install -d "$PREFIX/bin" "$PREFIX/share/applications" "$PREFIX/share/icons/hicolor/512x512/apps"
install -m 755 sunledger sunledger-cli "$PREFIX/bin/"
install -m 644 "$ID.png" "$PREFIX/share/icons/hicolor/512x512/apps/$ID.png"
# The menu entry starts the installed program by its full path: ~/.local/bin is not on
# every desktop session's PATH.
sed "s|^Exec=sunledger|Exec=$PREFIX/bin/sunledger|" "$ID.desktop" >"$PREFIX/share/applications/$ID.desktop"
chmod 644 "$PREFIX/share/applications/$ID.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$PREFIX/share/applications" || true
echo "installed: $PREFIX/bin/sunledger, $PREFIX/bin/sunledger-cli and the menu entry 阳光账本"
