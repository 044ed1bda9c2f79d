package main

import (
	"os"
	"strings"

	"sunledger/app"
)

// memberPassphrase reads a member's passphrase from --passphrase-file (its first line)
// or, without one, from the environment variable env.
func memberPassphrase(file, env string, required bool) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", app.Errorf(app.EINVALID, "无法读取口令文件 %s：%v", "cannot read the passphrase file %s: %v", file, err)
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
	return s, nil
}
