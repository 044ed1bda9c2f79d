package main

import (
	"fmt"
	"strings"

	"aead.dev/minisign"

	"sunledger/app"
	"sunledger/s3store"
	"sunledger/snapshot"
)

func init() {
	register("snapshot publish", "FILE.zip --to s3://BUCKET/PREFIX [--endpoint URL] [--credentials FILE] [--pub PREFIX.pub]   "+app.T("把签名快照、签名和解压后的查看页上传到 S3 兼容的对象存储（密钥来自 AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY 或 --credentials 文件）", "upload a signed snapshot, its signature and the unzipped viewer to an S3-compatible store (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or --credentials FILE)"), snapshotPublish)
	register("snapshot collect", "--from s3://BUCKET/PREFIX --keys KEYS.csv --out DIR [--endpoint URL] [--credentials FILE] [--witness-state DIR]   "+app.T("下载并核验每个小区的最新快照，并作为见证人联署其检查点（分叉或回滚即失败）；写出 DIR/summary.csv（带 BOM）和 DIR/summary.json", "fetch and verify every community's latest snapshot and cosign its checkpoint as a witness (a fork or rollback fails); writes DIR/summary.csv (BOM) and DIR/summary.json"), snapshotCollect)
}

func snapshotPublish(e *env, args []string) error {
	fs := newFlags("snapshot publish")
	to := fs.String("to", "", "s3://BUCKET/PREFIX")
	endpoint := fs.String("endpoint", "", "https://HOST[:PORT] or http://HOST:PORT")
	credFile := fs.String("credentials", "", "credentials file")
	pubPath := fs.String("pub", "", "PREFIX.pub: verify fully before uploading")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("用法：snapshot publish 快照.zip --to s3://存储桶/前缀 [--endpoint URL] [--credentials 文件]", "usage: snapshot publish FILE.zip --to s3://BUCKET/PREFIX [--endpoint URL] [--credentials FILE]")
	}
	if err := need("to", *to); err != nil {
		return err
	}
	t, err := s3store.ParseTarget(*to)
	if err != nil {
		return err
	}
	var pub *minisign.PublicKey
	if *pubPath != "" {
		k, err := snapshot.ReadPublicKey(*pubPath)
		if err != nil {
			return err
		}
		pub = &k
	}
	st, err := openStore(*endpoint, *credFile, t)
	if err != nil {
		return err
	}
	res, err := s3store.Publish(e.ctx, st, t, pos[0], pub, e.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已发布 %s 到 %s：%d 个文件，其中新上传 %d 个\n", "published %s to %s: %d files, %d newly uploaded\n"),
		res.Name, t, res.Files, res.Uploaded)
	if res.Viewer != "" {
		fmt.Fprintf(e.stdout, app.T("查看页 %s\n", "viewer %s\n"), "s3://"+t.Bucket+"/"+t.Key(res.Viewer))
	}
	return recordPublishedAddress(e, st, t, res)
}

// openStore opens the S3-compatible store of target t at endpoint, with the credentials
// of credFile (else AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
func openStore(endpoint, credFile string, t s3store.Target) (*s3store.Store, error) {
	cred, err := s3store.LoadCredentials(credFile)
	if err != nil {
		return nil, err
	}
	return s3store.Open(endpoint, t.Bucket, cred)
}

// recordPublishedAddress records where the snapshot now is (the viewer, else the zip)
// in the book it came from, so that notices printed from now on carry the address as a
// QR code (docs/notices.md). A snapshot of another book (its head is not this book's
// entry) or no book at --data records nothing.
func recordPublishedAddress(e *env, st *s3store.Store, t s3store.Target, res s3store.PublishResult) error {
	if res.Entries <= 0 {
		return nil
	}
	svc, err := e.services()
	if err != nil {
		return nil
	}
	entry, err := svc.Ledger.Entry(e.ctx, res.Entries)
	if err != nil || entry.Hash != res.Head {
		return nil
	}
	key := res.Name + ".zip"
	if res.Viewer != "" {
		key = res.Viewer
	}
	return svc.Published.RecordPublished(e.ctx, app.PublishedHead{Seq: res.Entries, Hash: res.Head, What: "publish " + t.String(), URL: st.URL(t.Key(key))}, "")
}

func snapshotCollect(e *env, args []string) error {
	fs := newFlags("snapshot collect")
	from := fs.String("from", "", "s3://BUCKET/PREFIX")
	keysPath := fs.String("keys", "", "KEYS.csv")
	out := fs.String("out", "", "DIR")
	endpoint := fs.String("endpoint", "", "https://HOST[:PORT] or http://HOST:PORT")
	credFile := fs.String("credentials", "", "credentials file")
	witnessState := fs.String("witness-state", "", "the witness's folder (default DIR/witness)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError("用法：snapshot collect --from s3://存储桶/前缀 --keys KEYS.csv --out 文件夹", "usage: snapshot collect --from s3://BUCKET/PREFIX --keys KEYS.csv --out DIR")
	}
	if err := needFlags(fs, "from", "keys", "out"); err != nil {
		return err
	}
	t, err := s3store.ParseTarget(*from)
	if err != nil {
		return err
	}
	keys, err := s3store.ReadKeys(*keysPath)
	if err != nil {
		return err
	}
	st, err := openStore(*endpoint, *credFile, t)
	if err != nil {
		return err
	}
	rows, err := s3store.Collect(e.ctx, st, t, keys, *out, s3store.CollectOptions{Progress: e.stderr, WitnessDir: *witnessState})
	if err != nil {
		return err
	}
	var failed []string
	for _, r := range rows {
		if !r.Verified {
			if r.Witness != "" {
				failed = append(failed, r.Community+" ("+r.Witness+")")
			} else {
				failed = append(failed, r.Community)
			}
		}
	}
	fmt.Fprintf(e.stdout, app.T("已收集 %d 个小区，%d 个核验通过；汇总见 %s 和 %s\n", "collected %d communities, %d verified; summary in %s and %s\n"),
		len(rows), len(rows)-len(failed), *out+"/summary.csv", *out+"/summary.json")
	if len(failed) > 0 {
		return app.Errorf(app.EINVALID, "%d 个小区的快照未通过核验或无法下载：%s（原因见 summary.csv 的 result 列）", "%d communities failed (not verified or not fetched): %s (the reason is in summary.csv's result column)",
			len(failed), strings.Join(failed, ", "))
	}
	return nil
}
