package ui

import (
	"archive/zip"
	"context"
	"crypto/rand"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aead.dev/minisign"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"

	"sunledger/internal/testtool"
)

// snapshotKey writes a committee key pair encrypted with pass into dir: dir/ck.key, dir/ck.pub.
func snapshotKey(t *testing.T, dir, pass string) (keyPath, pubPath string) {
	t.Helper()
	pub, priv, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	// An empty pass writes the key unencrypted (minisign's scrypt takes seconds).
	var sealed []byte
	if pass == "" {
		sealed, err = priv.MarshalText()
	} else {
		sealed, err = minisign.EncryptKey(pass, priv)
	}
	if err != nil {
		t.Fatal(err)
	}
	pubText, err := pub.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	keyPath, pubPath = filepath.Join(dir, "ck.key"), filepath.Join(dir, "ck.pub")
	if err := os.WriteFile(keyPath, sealed, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pubPath, append(pubText, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	return keyPath, pubPath
}

// The 快照 page makes the signed snapshot that the real minisign verifies, refuses a
// wrong passphrase without writing anything, opens the viewer from an unpacked folder,
// and shows the head it published.
func TestSnapshotPage_MakesASignedSnapshotMinisignVerifiesAndOpensTheViewer(t *testing.T) {
	if testing.Short() {
		t.Skip("left to the full run (-short): the committee key's scrypt (about 1 GiB) on every use")
	}
	s := demoBook(t)
	w := newWindow(t)
	keys, out := t.TempDir(), t.TempDir()
	keyPath, pubPath := snapshotKey(t, keys, "正确的口令")
	v := newSnapshotScreen(w, s)
	w.SetContent(v.content())
	if !v.pubB.Disabled() || !v.viewB.Disabled() {
		t.Errorf("publish and view should wait for a snapshot")
	}
	v.key.SetText(keyPath)
	v.folder.SetText(out)

	v.makeWith("错误的口令")
	if !strings.Contains(v.status.Text, "口令不对") {
		t.Errorf("a wrong passphrase: status %q", v.status.Text)
	}
	if files, _ := os.ReadDir(out); len(files) != 0 {
		t.Errorf("a refused snapshot left %d files", len(files))
	}
	if hs, _ := s.Published.Published(context.Background()); len(hs) != 0 {
		t.Errorf("a refused snapshot recorded %v", hs)
	}

	v.makeWith("正确的口令")
	if v.lastZip == "" || pref(SnapshotLastPreference) != v.lastZip || pref(SnapshotKeyPreference) != keyPath {
		t.Fatalf("no snapshot made: status %q", v.status.Text)
	}
	if v.bar.Value != 1 {
		t.Errorf("progress ended at %v", v.bar.Value)
	}
	head, _, _ := s.Ledger.Head(context.Background())
	if !strings.Contains(v.status.Text, head) || !strings.Contains(v.heads.Text, head) {
		t.Errorf("the page should show the head %s:\n%s\n%s", head, v.status.Text, v.heads.Text)
	}
	testtool.Require(t, "minisign")
	if b, err := exec.Command("minisign", "-Vm", v.lastZip, "-p", pubPath).CombinedOutput(); err != nil {
		t.Fatalf("minisign -Vm: %v\n%s", err, b)
	}

	v.openViewer()
	index := filepath.Join(strings.TrimSuffix(v.lastZip, ".zip")+"-viewer", "index.html")
	b, err := os.ReadFile(index)
	if err != nil || !strings.Contains(string(b), "<html") {
		t.Fatalf("viewer not unpacked: %v", err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(index), "manifest.json")); err != nil {
		t.Errorf("the files beside the viewer: %v", err)
	}
}

// publishFixture is a gofakes3 server holding the bucket "owners".
func publishFixture(t *testing.T) string {
	t.Helper()
	be, err := s3bolt.NewFile(filepath.Join(t.TempDir(), "s3.bolt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := be.CreateBucket("owners"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	t.Cleanup(srv.Close)
	return srv.URL
}

// Publishing sends the last snapshot to the target on the page, which is then saved; a
// second publish sends nothing new; an unreachable store is a clear message at once.
func TestSnapshotPage_PublishesToTheSavedTargetAndSaysWhenOffline(t *testing.T) {
	s := demoBook(t)
	w := newWindow(t)
	keys, out := t.TempDir(), t.TempDir()
	keyPath, _ := snapshotKey(t, keys, "")
	cred := filepath.Join(keys, "cred")
	os.WriteFile(cred, []byte("AKIDTEST\nsecret-for-tests\n"), 0o600)
	v := newSnapshotScreen(w, s)
	w.SetContent(v.content())
	v.key.SetText(keyPath)
	v.folder.SetText(out)
	v.makeWith("")
	if v.lastZip == "" {
		t.Fatalf("no snapshot: %s", v.status.Text)
	}

	// Offline: a port nobody listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	v.to.SetText("s3://owners/c1")
	v.ep.SetText(dead)
	v.cred.SetText(cred)
	start := time.Now()
	v.publish()
	if !strings.Contains(v.status.Text, "没有联网") || time.Since(start) > 15*time.Second {
		t.Errorf("offline publish (%v): %q", time.Since(start), v.status.Text)
	}
	if pref(SnapshotTargetPreference) == "s3://owners/c1" {
		t.Errorf("a failed publish saved its target")
	}

	v.ep.SetText(publishFixture(t))
	v.publish()
	if !strings.Contains(v.status.Text, "已发布") || pref(SnapshotTargetPreference) != "s3://owners/c1" || pref(SnapshotEndpointPreference) != v.ep.Text || pref(SnapshotCredPreference) != cred {
		t.Fatalf("publish: %q", v.status.Text)
	}
	if !strings.Contains(v.heads.Text, "s3://owners/c1") {
		t.Errorf("the page should say when and where it last published:\n%s", v.heads.Text)
	}
	v.publish()
	if !strings.Contains(v.status.Text, "新上传 0 个") {
		t.Errorf("a repeat publish: %q", v.status.Text)
	}
	// The page opened again shows the saved target.
	v2 := newSnapshotScreen(w, s)
	if v2.to.Text != "s3://owners/c1" || v2.lastZip != v.lastZip {
		t.Errorf("saved target %q, last %q", v2.to.Text, v2.lastZip)
	}
	zr, err := zip.OpenReader(v.lastZip)
	if err != nil {
		t.Fatal(err)
	}
	zr.Close()
}
