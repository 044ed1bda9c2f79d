package main

import (
	"fmt"

	"sunledger/app"
	"sunledger/snapshot"
)

func init() {
	register("keys new", "--out PREFIX [--passphrase-file F]   "+app.T("生成业委会签名密钥对：PREFIX.key（口令加密）和 PREFIX.pub（minisign 格式）；口令也可由 SUNLEDGER_PASSPHRASE 给出", "create the committee's signing key pair: PREFIX.key (encrypted) and PREFIX.pub (minisign format); passphrase also from SUNLEDGER_PASSPHRASE"), keysNew)
}

// keysNew makes the committee's minisign key pair. The secret key is encrypted with the
// passphrase (minisign's scrypt, deliberately slow: seconds and about 1 GiB); existing
// files are never overwritten. Keys are files, not book data: no book is needed.
func keysNew(e *env, args []string) error {
	fs := newFlags("keys new")
	out := fs.String("out", "", "PREFIX")
	pf := fs.String("passphrase-file", "", "file holding the passphrase")
	if err := parseStrict(fs, args, "out"); err != nil {
		return err
	}
	keyPath, pubPath := *out+".key", *out+".pub"
	if err := snapshot.CheckNewKeyFiles(*out); err != nil {
		return err
	}
	pass, err := memberPassphrase(*pf, "SUNLEDGER_PASSPHRASE", true)
	if err != nil {
		return err
	}
	id, err := snapshot.NewKeyFiles(*out, pass)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("密钥 ID %s\n私钥（口令加密，请妥善保管）%s\n公钥 %s\n", "key id %s\nsecret key (encrypted; keep it safe) %s\npublic key %s\n"),
		id, keyPath, pubPath)
	return nil
}
