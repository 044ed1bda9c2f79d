package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"aead.dev/minisign"

	"sunledger/app"
	"sunledger/reports"
	"sunledger/snapshot"
	"sunledger/witness"
)

func init() {
	register("snapshot export", "--key PREFIX.key --out FILE.zip [--passphrase-file F]   "+app.T("导出签名快照：FILE.zip 和 FILE.zip.minisig（口令也可由 SUNLEDGER_PASSPHRASE 给出）", "export a signed snapshot: FILE.zip and FILE.zip.minisig (passphrase also from SUNLEDGER_PASSPHRASE)"), snapshotExport)
	register("snapshot verify", "FILE.zip --pub PREFIX.pub [--sig FILE.zip.minisig] [--since OLD.zip] [--witness VKEY]   "+app.T("核验快照的签名、清单、哈希链和此前发布的链头；--witness 还核对旁边 FILE.zip.cosig 中这位见证人的联署", "check a snapshot's signature, manifest, hash chain and the heads published before; --witness also checks that witness's cosignature in FILE.zip.cosig beside it"), snapshotVerify)
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
	if db, err := e.open(); err == nil {
		db.ReadingThrough() // the export reads the book through once: a small block cache
	}
	// What the export keeps is small beside what it reads: the collector lets the heap
	// grow to 1.6 times what is live instead of twice (docs/snapshot.md, "Size and speed":
	// 255–270 MB peak instead of 300–320 MB on the 3,000-unit 10-year demo, in the same time).
	debug.SetGCPercent(60)
	progress := progressLine(e.stderr, app.T("快照", "snapshot"))
	m, err := snapshot.WriteProgress(e.ctx, svc, *out, key, reports.QuarterlyPDF, svc.Now(), "", progress)
	if err != nil {
		if progress != nil {
			fmt.Fprint(e.stderr, "\r\033[K") // the error gets a line of its own
		}
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
	witnessKey := fs.String("witness", "", "VKEY or a file holding it (witness.vkey): check its cosignature in FILE.zip.cosig")
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
	return reportCosignatures(e, zipPath, pub, *witnessKey)
}

// headLabel is the head hash as printed; an empty journal has none.
func headLabel(h string) string {
	if h == "" {
		return app.T("（空，尚无凭证）", "(none: no entries yet)")
	}
	return h
}

// reportCosignatures says what FILE.zip.cosig beside a verified snapshot holds
// (docs/witness.md): with vkey (a witness's key, or a file holding it), that witness's
// cosignature must be there and verify; without, the lines are only counted.
func reportCosignatures(e *env, zipPath string, pub minisign.PublicKey, vkey string) error {
	cosig, err := os.ReadFile(zipPath + ".cosig")
	if err != nil && vkey == "" {
		return nil
	}
	if err != nil {
		return app.Errorf(app.ENOTFOUND, "%s 旁边没有联署文件 %s", "there is no cosignature file %s beside %s", zipPath+".cosig", zipPath)
	}
	if vkey == "" {
		fmt.Fprintf(e.stdout, app.T("旁边有 %d 个联署（%s）；用 --witness 见证人公钥 核对\n", "%d cosignatures beside it (%s); check them with --witness VKEY\n"), bytes.Count(append([]byte("\n"), cosig...), []byte("\n— ")), zipPath+".cosig")
		return nil
	}
	if b, err := os.ReadFile(vkey); err == nil {
		vkey = strings.TrimSpace(string(b))
	}
	v, err := witness.ParseVerifierKey(vkey)
	if err != nil {
		return err
	}
	signed, _, ok, err := witness.ReadSnapshot(zipPath)
	if err != nil {
		return err
	}
	if !ok {
		return app.Errorf(app.EINVALID, "%s 没有检查点，没有可核对的联署", "%s has no checkpoint: there is no cosignature to check", zipPath)
	}
	c, err := witness.OpenCheckpoint(signed, pub)
	if err != nil {
		return err
	}
	committee, err := snapshot.CheckpointVerifier(pub, c.Origin)
	if err != nil {
		return app.Internal(err)
	}
	got, err := witness.CheckCosignatures(signed, cosig, committee, v)
	if err != nil {
		return err
	}
	if len(got) == 0 {
		return app.Errorf(app.EINVALID, "%s 里没有见证人 %s 的联署", "%s holds no cosignature by the witness %s", zipPath+".cosig", v.Name())
	}
	for _, g := range got {
		fmt.Fprintf(e.stdout, app.T("见证人 %s 于 %s 联署了检查点（来源 %s，树大小 %d）\n", "cosigned by the witness %s at %s (checkpoint of %s, tree size %d)\n"),
			g.Name, time.Unix(g.Time, 0).Local().Format("2006-01-02 15:04:05"), c.Origin, c.N)
	}
	return nil
}

// progressLine shows how far a long job has got on one line of w, rewritten in place,
// when w is a terminal (a script or a test reading stderr sees nothing of it).
func progressLine(w io.Writer, what string) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(done, total int) {
		fmt.Fprintf(w, "\r%s %d/%d", what, done, total)
		if done == total {
			fmt.Fprint(w, "\r\033[K")
		}
	}
}
