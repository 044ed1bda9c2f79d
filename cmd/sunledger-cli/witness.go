package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"sunledger/app"
	"sunledger/internal/atomicfile"
	"sunledger/snapshot"
	"sunledger/witness"
)

func init() {
	register("witness cosign", "FILE.zip --state DIR --pub PREFIX.pub [--name NAME]   "+app.T("见证人：核验快照和它的检查点，仅当它延续了 DIR 记录的上一个检查点时联署，写出 FILE.zip.cosig（任何电脑，不需要账本）", "witness: check a snapshot and its checkpoint, and cosign it only if it extends the last checkpoint DIR holds; writes FILE.zip.cosig (any computer, no book needed)"), witnessCosign)
	register("witness list", "--state DIR [--json]   "+app.T("列出见证人记录的每个来源的检查点（来源、树大小、根、委员会密钥编号）和见证人公钥", "list the checkpoint the witness holds for each origin (origin, tree size, root, committee key id) and the witness's key"), witnessList)
}

// witnessList is `witness list`.
func witnessList(e *env, args []string) error {
	fs := newFlags("witness list")
	state := fs.String("state", "", "DIR: the witness's folder")
	asJSON := fs.Bool("json", false, "JSON: {witness, vkey, checkpoints: [{origin, size, root, committee_key}]}")
	if err := parseStrict(fs, args, "state"); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*state, witness.KeyName)); err != nil {
		return app.Errorf(app.ENOTFOUND, "%s 不是见证人文件夹（还没有联署过）", "%s is not a witness folder (nothing cosigned yet)", *state)
	}
	w, err := witness.Open(*state, "")
	if err != nil {
		return err
	}
	held, err := w.List()
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, map[string]any{"witness": w.Name(), "vkey": w.VerifierKey(), "checkpoints": held})
	}
	fmt.Fprintf(e.stdout, app.T("见证人 %s\n公钥 %s\n", "witness %s\nkey %s\n"), w.Name(), w.VerifierKey())
	for _, h := range held {
		fmt.Fprintf(e.stdout, app.T("%s  树大小 %d  根 %s  委员会密钥 %s\n", "%s  tree size %d  root %s  committee key %s\n"), h.Origin, h.Size, h.Root, h.Key)
	}
	return nil
}

// witnessCosign is `witness cosign` (docs/witness.md).
func witnessCosign(e *env, args []string) error {
	fs := newFlags("witness cosign")
	state := fs.String("state", "", "DIR: the witness's folder (made on first use)")
	pubPath := fs.String("pub", "", "PREFIX.pub: the committee's public key")
	name := fs.String("name", "", "the witness's name, on first use (default sunledger-witness/<host name>)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("用法：witness cosign 快照.zip --state 文件夹 --pub 公钥.pub", "usage: witness cosign FILE.zip --state DIR --pub PREFIX.pub")
	}
	if err := needFlags(fs, "state", "pub"); err != nil {
		return err
	}
	zipPath := pos[0]
	pub, err := snapshot.ReadPublicKey(*pubPath)
	if err != nil {
		return err
	}
	if _, err := snapshot.Verify(zipPath, zipPath+".minisig", pub); err != nil {
		return notCosigned(err)
	}
	signed, proofs, ok, err := witness.ReadSnapshot(zipPath)
	if err != nil {
		return err
	}
	if !ok {
		return app.Errorf(app.EINVALID, "没有联署：%s 没有检查点（checkpoint），是记录日志成为默克尔日志之前做的快照", "not cosigned: %s has no checkpoint (a snapshot made before the record log became a Merkle log)", zipPath)
	}
	w, err := witness.Open(*state, *name)
	if err != nil {
		return err
	}
	res, err := w.Cosign(signed, proofs, pub)
	if err != nil {
		return err
	}
	cosig := zipPath + ".cosig"
	others, _ := os.ReadFile(cosig) // other witnesses' lines stay
	text := witness.MergeCosignatures(others, res.Cosignature, w.Name())
	if err := atomicfile.Write(cosig, func(wr io.Writer) error { _, err := wr.Write(text); return err }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("来源 %s\n树大小 %d，根 %s\n", "origin %s\ntree size %d, root %s\n"), res.Origin, res.Size, res.Root)
	switch res.Verdict {
	case witness.First:
		fmt.Fprintln(e.stdout, app.T("第一次见到这个来源：已记录", "first checkpoint seen for this origin: recorded"))
	case witness.Extends:
		fmt.Fprintf(e.stdout, app.T("延续了见证人见过的大小 %d 的树：一致性证明有效，已记录\n", "extends the tree of size %d the witness saw: the consistency proof holds; recorded\n"), res.HeldSize)
	case witness.Same:
		fmt.Fprintln(e.stdout, app.T("与见证人已记录的检查点相同", "the checkpoint the witness already holds"))
	}
	fmt.Fprintf(e.stdout, app.T("联署 %s（见证人 %s，公钥 %s）\n", "cosignature %s (witness %s, key %s)\n"), cosig, w.Name(), w.VerifierKey())
	return nil
}

// notCosigned prefixes a snapshot check's error with "not cosigned".
func notCosigned(err error) error {
	var e *app.Error
	if errors.As(err, &e) {
		return &app.Error{Code: e.Code, ZH: "没有联署：" + e.ZH, EN: "not cosigned: " + e.EN, Err: e.Err}
	}
	return err
}
