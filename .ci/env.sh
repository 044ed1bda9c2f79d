# Sourced by the .ci scripts: Go on PATH, a UTF-8 locale (Fyne complains about C),
# and Go's own toolchain download through the module proxy if the system Go is older.
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"
export LANG="${LANG:-zh_CN.UTF-8}"
case "$LANG" in C|POSIX|"") export LANG=zh_CN.UTF-8 ;; esac
export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
