// Package s3store publishes signed snapshots to an S3-compatible object store (Aliyun
// OSS, Tencent COS, MinIO, SeaweedFS, AWS) and collects the latest snapshot of many
// communities from one. It is the only package that talks to an object store; nothing
// else in Sunledger needs a network.
//
// Bucket layout under PREFIX (what `snapshot publish --to s3://B/PREFIX` writes and what
// `snapshot collect --from s3://B/P` reads for PREFIX = P/<community>):
//
//	PREFIX/<name>.zip             the signed snapshot, byte for byte
//	PREFIX/<name>.zip.minisig     its minisign signature
//	PREFIX/<name>/<file>          every file inside the zip (the owner viewer index.html, CSV, JSON, PDF)
//	PREFIX/latest.json            the pointer to the newest published snapshot, written last
//
// <name> is the snapshot's creation time and head hash ("20261129T011000Z-1a2b3c4d5e6f"),
// so every snapshot has its own objects and a reader that follows latest.json always
// finds a whole snapshot.
package s3store

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"sunledger/app"
)

// DefaultEndpoint is used when no --endpoint is given.
const DefaultEndpoint = "https://s3.amazonaws.com"

// metaSHA256 is the user metadata that records an object's SHA-256 (hex), so a second
// publish can tell an object is already there without downloading it.
const metaSHA256 = "Sha256"

// Target is a parsed s3://BUCKET/PREFIX.
type Target struct {
	Bucket string
	Prefix string // without leading or trailing slash; may be empty
}

// Key is the object key of name under the target's prefix.
func (t Target) Key(name string) string {
	if t.Prefix == "" {
		return name
	}
	return t.Prefix + "/" + name
}

func (t Target) String() string { return "s3://" + t.Bucket + "/" + t.Prefix }

// ParseTarget reads s3://BUCKET/PREFIX. The bucket follows the S3 naming rules; the
// prefix may not hold empty, "." or ".." segments.
func ParseTarget(s string) (Target, error) {
	bad := func(why, whyEn string) error {
		return &app.Error{Code: app.EINVALID,
			ZH: fmt.Sprintf("存储地址 %q 有误：%s；应写成 s3://存储桶/前缀，未做任何更改", s, why),
			EN: fmt.Sprintf("bad storage address %q: %s; write s3://BUCKET/PREFIX; nothing was changed", s, whyEn)}
	}
	rest, ok := strings.CutPrefix(s, "s3://")
	if !ok {
		return Target{}, bad("不以 s3:// 开头", "it does not start with s3://")
	}
	bucket, prefix, _ := strings.Cut(rest, "/")
	if !validBucket(bucket) {
		return Target{}, bad("存储桶名应为 3–63 个小写字母、数字、点或连字符", "a bucket name is 3-63 lower-case letters, digits, dots or hyphens")
	}
	prefix = strings.Trim(prefix, "/")
	if prefix != "" {
		for _, seg := range strings.Split(prefix, "/") {
			if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "\\\x00") {
				return Target{}, bad("前缀中有空段、. 或 ..", "the prefix holds an empty, . or .. segment")
			}
		}
	}
	return Target{Bucket: bucket, Prefix: prefix}, nil
}

func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 {
		return false
	}
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '-' || c == '.') && i > 0 && i < len(b)-1:
		default:
			return false
		}
	}
	return true
}

// Credentials are an access key pair.
type Credentials struct {
	AccessKey string
	SecretKey string
}

// LoadCredentials reads the key pair from file when it is given, else from the
// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, and AWS_SESSION_TOKEN if set).
// The file is either an AWS credentials file (the [default] section, or the only
// section, with aws_access_key_id and aws_secret_access_key) or two plain lines: the
// access key id, then the secret.
func LoadCredentials(file string) (Credentials, error) {
	if file == "" {
		c := Credentials{AccessKey: os.Getenv("AWS_ACCESS_KEY_ID"), SecretKey: os.Getenv("AWS_SECRET_ACCESS_KEY")}
		if c.AccessKey == "" || c.SecretKey == "" {
			return Credentials{}, app.Errorf(app.EINVALID, "没有对象存储的访问密钥：请设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，或用 --credentials 文件给出；未做任何上传",
				"no object-store credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give a --credentials FILE; nothing was uploaded")
		}
		return c, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return Credentials{}, app.Errorf(app.EINVALID, "无法读取访问密钥文件 %s：%v", "cannot read the credentials file %s: %v", file, err)
	}
	return ParseCredentials(file, string(b))
}

// ParseCredentials reads the text of a credentials file (see LoadCredentials); name is
// for messages.
func ParseCredentials(name, text string) (Credentials, error) {
	text = strings.TrimPrefix(text, "\ufeff")
	bad := app.Errorf(app.EINVALID, "访问密钥文件 %s 格式有误：应为 AWS credentials 文件（[default] 节中的 aws_access_key_id 与 aws_secret_access_key），或两行：访问密钥 ID、私密密钥",
		"the credentials file %s is malformed: write an AWS credentials file (aws_access_key_id and aws_secret_access_key in [default]) or two lines: access key id, then secret", name)
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, ";") {
			lines = append(lines, l)
		}
	}
	ini := false
	for _, l := range lines {
		if strings.HasPrefix(l, "[") || strings.Contains(l, "=") {
			ini = true
		}
	}
	if !ini {
		if len(lines) != 2 || strings.ContainsAny(lines[0]+lines[1], " \t") {
			return Credentials{}, bad
		}
		return Credentials{AccessKey: lines[0], SecretKey: lines[1]}, nil
	}
	sections := map[string]map[string]string{}
	var order []string
	cur := ""
	for _, l := range lines {
		if strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") {
			cur = strings.TrimSpace(l[1 : len(l)-1])
			cur = strings.TrimSpace(strings.TrimPrefix(cur, "profile "))
			if _, ok := sections[cur]; !ok {
				order = append(order, cur)
				sections[cur] = map[string]string{}
			}
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			return Credentials{}, bad
		}
		if sections[cur] == nil {
			order = append(order, cur)
			sections[cur] = map[string]string{}
		}
		sections[cur][strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	sec := sections["default"]
	if sec == nil && len(order) == 1 {
		sec = sections[order[0]]
	}
	c := Credentials{AccessKey: sec["aws_access_key_id"], SecretKey: sec["aws_secret_access_key"]}
	if c.AccessKey == "" || c.SecretKey == "" {
		return Credentials{}, bad
	}
	return c, nil
}

// Store is one bucket of an S3-compatible object store.
type Store struct {
	client   *minio.Client
	endpoint string
	Bucket   string
	// Attempts is how many times a transient failure (network trouble, a 5xx, throttling)
	// is tried in all; Backoff is the first wait, doubled after every failure.
	Attempts int
	Backoff  time.Duration
}

// URL is the web address of an object of the bucket (path-style: endpoint/bucket/key),
// what owners open when the bucket is public.
func (s *Store) URL(key string) string {
	return s.endpoint + "/" + s.Bucket + "/" + strings.TrimPrefix(key, "/")
}

// Open makes a client for the bucket at endpoint ("" is AWS; "http://host:port" talks
// plain HTTP, "https://..." TLS). It does not touch the network.
func Open(endpoint, bucket string, cred Credentials) (*Store, error) {
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return nil, app.Errorf(app.EINVALID, "--endpoint %q 有误：应写成 https://主机[:端口] 或 http://主机:端口（不加路径）", "bad --endpoint %q: write https://HOST[:PORT] or http://HOST:PORT (no path)", endpoint)
	}
	region := os.Getenv("AWS_REGION")
	if region == "" {
		region = os.Getenv("AWS_DEFAULT_REGION")
	}
	if region == "" && endpoint != DefaultEndpoint {
		region = "us-east-1" // what S3-compatible stores accept by default; skips a location lookup
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       60 * time.Second,
	}
	c, err := minio.New(u.Host, &minio.Options{
		Creds:      credentials.NewStaticV4(cred.AccessKey, cred.SecretKey, os.Getenv("AWS_SESSION_TOKEN")),
		Secure:     u.Scheme == "https",
		Region:     region,
		Transport:  tr,
		MaxRetries: 1, // Store retries itself, with bounded backoff and clear messages
	})
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "--endpoint %q 有误：%v", "bad --endpoint %q: %v", endpoint, err)
	}
	return &Store{client: c, endpoint: u.Scheme + "://" + u.Host, Bucket: bucket, Attempts: 4, Backoff: 250 * time.Millisecond}, nil
}

// retry runs op until it succeeds, fails for good, or Attempts transient failures pass;
// the error is the friendly one.
func (s *Store) retry(ctx context.Context, what string, op func() error) error {
	wait := s.Backoff
	var err error
	for i := 0; i < max(1, s.Attempts); i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return s.explain(what, ctx.Err())
			case <-time.After(wait):
			}
			wait *= 2
		}
		err = op()
		if err == nil || !transient(err) {
			break
		}
	}
	return s.explain(what, err)
}

// transient says whether an error may pass if tried again.
func transient(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	r := minio.ToErrorResponse(err)
	switch r.Code {
	case "SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "RequestTimeTooSkewed":
		return true
	case "":
	default:
		return r.StatusCode >= 500
	}
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &ne) || errors.As(err, &oe) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "connection reset")
}

// explain turns an object-store error into one clear line that says nothing was left
// half-done and what to do.
func (s *Store) explain(what string, err error) error {
	if err == nil {
		return nil
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	r := minio.ToErrorResponse(err)
	switch r.Code {
	case "NoSuchBucket":
		return app.Errorf(app.ENOTFOUND, "对象存储 %s 上没有存储桶 %s：请先在存储服务中建好它，或检查 --to/--from 中的桶名", "the object store %s has no bucket %s: create it first, or check the bucket name",
			s.endpoint, s.Bucket)
	case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "InvalidSecurity", "AuthorizationHeaderMalformed":
		return app.Errorf(app.EUNAUTHORIZED, "对象存储 %s 拒绝了访问密钥（%s）：请检查 AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY 或 --credentials 文件",
			"the object store %s refused the credentials (%s): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the --credentials file", s.endpoint, r.Code)
	case "AccessDenied":
		return app.Errorf(app.EUNAUTHORIZED, "对象存储 %s 拒绝访问存储桶 %s（AccessDenied）：密钥不对，或此密钥无权读写该桶", "the object store %s denied access to bucket %s (AccessDenied): wrong credentials, or the key may not use that bucket",
			s.endpoint, s.Bucket)
	case "":
	default:
		return app.Errorf(app.EINTERNAL, "对象存储 %s 在%s时报错：%s（%s）", "the object store %s failed while %s: %s (%s)", s.endpoint, what, r.Code, r.Message)
	}
	if errors.Is(err, context.Canceled) {
		return app.Errorf(app.EINTERNAL, "已取消", "cancelled")
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) || isNetErr(err) {
		return app.Errorf(app.EINTERNAL, "无法连接对象存储 %s（%s）：电脑可能离线，或地址/端口不对；已重试 %d 次后放弃，请联网后再试",
			"cannot reach the object store %s (%s): the computer may be offline or the address/port is wrong; gave up after %d tries, try again when online",
			s.endpoint, shortNetErr(err), max(1, s.Attempts))
	}
	return app.Errorf(app.EINTERNAL, "对象存储 %s 在%s时出错：%v", "the object store %s failed while %s: %v", s.endpoint, what, err)
}

func isNetErr(err error) bool {
	var ne net.Error
	var oe *net.OpError
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &oe) || errors.As(err, &ue) || errors.Is(err, io.ErrUnexpectedEOF)
}

// shortNetErr is the innermost cause ("connection refused", "i/o timeout").
func shortNetErr(err error) string {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err.Error()
	}
	return err.Error()
}

// CheckBucket fails with a clear message when the store cannot be reached, refuses the
// credentials, or has no such bucket. It is asked before anything is written.
func (s *Store) CheckBucket(ctx context.Context) error {
	var ok bool
	err := s.retry(ctx, app.T("检查存储桶", "checking the bucket"), func() error {
		var err error
		ok, err = s.client.BucketExists(ctx, s.Bucket)
		return err
	})
	if err != nil {
		return err
	}
	if !ok {
		return s.explain("", minio.ErrorResponse{Code: "NoSuchBucket"})
	}
	return nil
}

// objectState is what the store holds at a key: whether it exists, its size, and its
// SHA-256 if recorded.
type objectState struct {
	exists bool
	size   int64
	sha256 string
	etag   string
}

func (s *Store) stat(ctx context.Context, key string) (objectState, error) {
	var st objectState
	err := s.retry(ctx, app.T("查看 ", "looking at ")+key, func() error {
		info, err := s.client.StatObject(ctx, s.Bucket, key, minio.StatObjectOptions{})
		if err != nil {
			if r := minio.ToErrorResponse(err); r.Code == "NoSuchKey" || (r.StatusCode == http.StatusNotFound && r.Code != "NoSuchBucket") {
				st = objectState{}
				return nil
			}
			return err
		}
		st = objectState{exists: true, size: info.Size, sha256: strings.ToLower(info.Metadata.Get("X-Amz-Meta-" + metaSHA256)), etag: strings.Trim(info.ETag, `"`)}
		return nil
	})
	return st, err
}

// same says whether the object already holds content of this size and SHA-256 (or,
// stored without our metadata, this MD5 as its single-part ETag).
func (st objectState) same(size int64, sha, md5hex string) bool {
	if !st.exists || st.size != size {
		return false
	}
	if st.sha256 != "" {
		return st.sha256 == sha
	}
	return md5hex != "" && strings.EqualFold(st.etag, md5hex)
}

// put uploads size bytes from open() (called again for every try) to key, then reads
// back what the store holds: a store that kept something else (an S3 look-alike that
// stores minio-go's aws-chunked framing raw) is an error naming the object, never a
// silent "uploaded". The payload goes UNSIGNED-PAYLOAD (DisableContentSha256), which
// every S3-compatible store accepts, instead of streaming signatures, which some do not.
func (s *Store) put(ctx context.Context, key string, size int64, sha, contentType string, open func() (io.ReadCloser, error)) error {
	err := s.retry(ctx, app.T("上传 ", "uploading ")+key, func() error {
		r, err := open()
		if err != nil {
			return err
		}
		defer r.Close()
		_, err = s.client.PutObject(ctx, s.Bucket, key, r, size, minio.PutObjectOptions{
			ContentType:          contentType,
			UserMetadata:         map[string]string{metaSHA256: sha},
			DisableContentSha256: true,
		})
		return err
	})
	if err != nil {
		return err
	}
	st, err := s.stat(ctx, key)
	if err != nil {
		return err
	}
	if !st.exists || st.size != size || (st.sha256 != "" && st.sha256 != sha) {
		return app.Errorf(app.EINVALID, "对象存储没有原样保存 %s：上传 %d 字节，存储中是 %d 字节。这个存储与 S3 不兼容，请换一个存储或联系其管理员",
			"the object store did not keep %s as sent: %d bytes uploaded, %d bytes stored; the store is not S3-compatible enough, use another or ask its administrator", key, size, st.size)
	}
	return nil
}

// get downloads key into w (at most limit bytes). w must be rewindable by reset, called
// before every try.
func (s *Store) get(ctx context.Context, key string, limit int64, reset func() (io.Writer, error)) error {
	return s.retry(ctx, app.T("下载 ", "downloading ")+key, func() error {
		w, err := reset()
		if err != nil {
			return err
		}
		obj, err := s.client.GetObject(ctx, s.Bucket, key, minio.GetObjectOptions{})
		if err != nil {
			return err
		}
		defer obj.Close()
		n, err := io.Copy(w, io.LimitReader(obj, limit+1))
		if err != nil {
			if minio.ToErrorResponse(err).Code == "NoSuchKey" {
				return app.Errorf(app.ENOTFOUND, "对象存储中没有 %s", "the object store has no %s", key)
			}
			return err
		}
		if n > limit {
			return app.Errorf(app.EINVALID, "对象 %s 超过 %d 字节，不予下载", "the object %s is larger than %d bytes; not downloaded", key, limit)
		}
		return nil
	})
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
