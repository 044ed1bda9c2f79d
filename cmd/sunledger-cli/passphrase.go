package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"sunledger/app"
)

// maxPassphraseFile bounds a passphrase file: a passphrase is a line, not a file.
const maxPassphraseFile = 1 << 10

// readBounded reads at most max bytes of the file at path: a file larger than that, or a
// device that never ends (/dev/zero), is refused instead of filling the memory.
func readBounded(path string, max int64, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, app.Errorf(app.ENOTFOUND, "找不到%s %s", "%s %s not found", what, path)
		}
		return nil, app.Errorf(app.EINVALID, "无法读取%s %s：%v", "cannot read the %s %s: %v", what, path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "无法读取%s %s：%v", "cannot read the %s %s: %v", what, path, err)
	}
	if int64(len(b)) > max {
		return nil, app.Errorf(app.EINVALID, "%s %s 太大（最多 %s）；没有做任何更改", "the %s %s is too large (%s at most); nothing was changed", what, path, sizeWords(max))
	}
	return b, nil
}

func sizeWords(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}

// memberPassphrase reads a member's passphrase from --passphrase-file (its first line,
// the file at most 1 KiB) or, without one, from the environment variable env. A file
// that others may read is used but warned about on stderr.
func memberPassphrase(file, env string, required bool) (string, error) {
	if file != "" {
		b, err := readBounded(file, maxPassphraseFile, app.T("口令文件", "passphrase file"))
		if err != nil {
			return "", err
		}
		if st, err := os.Stat(file); err == nil && runtime.GOOS != "windows" && st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
			fmt.Fprintf(os.Stderr, app.T("警告：口令文件 %s 其他用户也能读取（权限 %o）；请用 chmod 600 %s\n", "warning: the passphrase file %s can be read by other users (mode %o); run chmod 600 %s\n"), file, st.Mode().Perm(), file)
		}
		s := string(b)
		if i := strings.IndexAny(s, "\r\n"); i >= 0 {
			s = s[:i]
		}
		if s == "" {
			return "", app.Errorf(app.EINVALID, "口令文件 %s 是空的", "the passphrase file %s is empty", file)
		}
		return s, nil
	}
	s := os.Getenv(env)
	if s == "" && required {
		return "", usageError("需要口令：请用 --passphrase-file 文件 或环境变量 %s 给出", "a passphrase is needed: give --passphrase-file FILE or set %s", env)
	}
	if len(s) > maxPassphraseFile {
		return "", app.Errorf(app.EINVALID, "口令太长（最多 1 KB）", "the passphrase is too long (1 KB at most)")
	}
	return s, nil
}
