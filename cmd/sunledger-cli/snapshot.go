package main

import (
	"fmt"

	"sunledger/app"
	"sunledger/reports"
	"sunledger/snapshot"
)

func init() {
	register("snapshot export", "--key PREFIX.key --out FILE.zip [--passphrase-file F]   "+app.T("导出签名快照：FILE.zip 和 FILE.zip.minisig（口令也可由 SUNLEDGER_PASSPHRASE 给出）", "export a signed snapshot: FILE.zip and FILE.zip.minisig (passphrase also from SUNLEDGER_PASSPHRASE)"), snapshotExport)
	register("snapshot verify", "FILE.zip --pub PREFIX.pub [--sig FILE.zip.minisig] [--since OLD.zip]   "+app.T("核验快照的签名、清单、哈希链和此前发布的链头", "check a snapshot's signature, manifest, hash chain and the heads published before"), snapshotVerify)
}

func snapshotExport(e *env, args []string) error {
	fs := newFlags("snapshot export")
	keyPath := fs.String("key", "", "PREFIX.key")
	out := fs.String("out", "", "FILE.zip")
	pf := fs.String("passphrase-file", "", "file holding the key's passphrase")
	if err := parseStrict(fs, args, "key", "out"); err != nil {
		return err
	}
	pass, err := memberPassphrase(*pf, "SUNLEDGER_PASSPHRASE", true)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	key, err := snapshot.ReadSecretKey(*keyPath, pass)
	if err != nil {
		return err
	}
	m, err := snapshot.Write(e.ctx, svc, *out, key, reports.QuarterlyPDF, svc.Now(), "")
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("小区 %s\n链头 %s（%d 张凭证，%d 个文件）\n签名 %s\n已生成签名快照 %s\n", "community %s\nhead %s (%d entries, %d files)\nsignature %s\nsigned snapshot written %s\n"),
		m.Community, headLabel(m.Head), m.Entries, len(m.Files), *out+".minisig", *out)
	return nil
}

func snapshotVerify(e *env, args []string) error {
	fs := newFlags("snapshot verify")
	pubPath := fs.String("pub", "", "PREFIX.pub")
	sigPath := fs.String("sig", "", "FILE.zip.minisig")
	since := fs.String("since", "", "OLD.zip: check that the snapshot extends this earlier one")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("用法：snapshot verify 快照.zip --pub 公钥.pub", "usage: snapshot verify FILE.zip --pub PREFIX.pub")
	}
	if err := need("pub", *pubPath); err != nil {
		return err
	}
	zipPath := pos[0]
	if *sigPath == "" {
		*sigPath = zipPath + ".minisig"
	}
	pub, err := snapshot.ReadPublicKey(*pubPath)
	if err != nil {
		return err
	}
	var m app.Manifest
	if *since != "" {
		m, err = snapshot.VerifySince(zipPath, *sigPath, *since, *since+".minisig", pub)
	} else {
		m, err = snapshot.Verify(zipPath, *sigPath, pub)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("小区 %s\n链头 %s\n凭证 %d 张，文件 %d 个，生成于 %s\n签名、清单和哈希链均有效\n", "community %s\nhead %s\n%d entries, %d files, made %s\n签名、清单和哈希链均有效 (signature, manifest and hash chain are all valid)\n"),
		m.Community, headLabel(m.Head), m.Entries, len(m.Files), m.Created.Local().Format("2006-01-02 15:04:05"))
	if m.Origin != "" {
		fmt.Fprintf(e.stdout, app.T("检查点 %s，%d 个叶子，根哈希 %s：签名和证明均有效\n", "checkpoint %s, %d leaves, root %s: signature and proofs are valid\n"), m.Origin, m.TreeSize, m.TreeRoot)
		if *since != "" {
			fmt.Fprintf(e.stdout, app.T("延续了 %s 的记录链\n", "extends the record log of %s\n"), *since)
		}
	}
	return nil
}

// headLabel is the head hash as printed; an empty journal has none.
func headLabel(h string) string {
	if h == "" {
		return app.T("（空，尚无凭证）", "(none: no entries yet)")
	}
	return h
}
