package ui

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/reports"
	"sunledger/s3store"
	"sunledger/snapshot"
)

// The 快照 page makes the signed snapshot (the same snapshot.WriteProgress as
// `snapshot export`), opens its owner viewer on this laptop, publishes it to the saved
// object-store target (s3store.Publish, as `snapshot publish`), and shows the last head
// that left the laptop. The key's passphrase is asked every time and never stored; the
// key file, the folder, the target and the credentials file are remembered. See
// docs/snapshot.md.

// Preferences of the snapshot page.
const (
	SnapshotKeyPreference      = "snapshot.key"         // the committee's minisign secret key file
	SnapshotFolderPreference   = "snapshot.folder"      // where snapshots are written
	SnapshotLastPreference     = "snapshot.last"        // the last snapshot made here
	SnapshotTargetPreference   = "snapshot.target"      // s3://BUCKET/PREFIX
	SnapshotEndpointPreference = "snapshot.endpoint"    // "" = AWS
	SnapshotCredPreference     = "snapshot.credentials" // credentials file ("" = environment)
	SnapshotPublishedPref      = "snapshot.published"   // RFC 3339 time, a tab, the target, a tab, the name
)

// PublishTimeout bounds a publish from the window: past it the upload is given up with
// a message (latest.json is written last, so owners still see the previous snapshot).
var PublishTimeout = 10 * time.Minute

func pref(name string) string {
	if p := prefs(); p != nil {
		return p.String(name)
	}
	return ""
}

func setPref(name, v string) {
	if p := prefs(); p != nil {
		p.SetString(name, v)
	}
}

func snapshotFolder() string {
	if f := pref(SnapshotFolderPreference); f != "" {
		return f
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = os.TempDir()
	}
	return filepath.Join(home, "sunledger-snapshots")
}

// makeSnapshot signs a snapshot of the book into dir with the key at keyPath (decrypted
// with pass) and returns its path. progress hears done of total steps.
func makeSnapshot(ctx context.Context, s app.Services, keyPath, pass, dir string, now time.Time, progress snapshot.Progress) (string, app.Manifest, error) {
	if strings.TrimSpace(keyPath) == "" {
		return "", app.Manifest{}, app.Errorf(app.EINVALID, "请先选择业委会的 minisign 私钥文件；没有生成快照", "choose the committee's minisign secret key file first; no snapshot was made")
	}
	key, err := snapshot.ReadSecretKey(keyPath, pass)
	if err != nil {
		return "", app.Manifest{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", app.Manifest{}, app.Errorf(app.EINVALID, "无法使用文件夹 %s：%v（没有生成快照）", "cannot use the folder %s: %v (no snapshot was made)", dir, err)
	}
	path := filepath.Join(dir, "snapshot-"+now.UTC().Format("20060102-150405")+".zip")
	m, err := snapshot.WriteProgress(ctx, s, path, key, reports.QuarterlyPDF, now, Operator(), progress)
	if err != nil {
		return "", app.Manifest{}, err
	}
	return path, m, nil
}

// publishTarget is where a snapshot is published, as saved on the page.
type publishTarget struct {
	To, Endpoint, Credentials string
}

// reachable says, within a few seconds, whether the object store answers at all: an
// offline laptop gets a clear message at once instead of a publish that retries.
func reachable(ctx context.Context, endpoint string) error {
	if endpoint == "" {
		endpoint = s3store.DefaultEndpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return app.Errorf(app.EINVALID, "服务地址 %q 有误：应写成 https://主机[:端口]；没有上传任何文件", "bad endpoint %q: write https://HOST[:PORT]; nothing was uploaded", endpoint)
	}
	host := u.Host
	if u.Port() == "" {
		if u.Scheme == "http" {
			host += ":80"
		} else {
			host += ":443"
		}
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	c, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return app.Errorf(app.EINVALID, "连不上对象存储 %s（%v）：这台电脑可能没有联网。没有上传任何文件；联网后再发布", "cannot reach the object store %s (%v): this laptop may be offline. Nothing was uploaded; publish again once online", u.Host, err)
	}
	c.Close()
	return nil
}

// publishSnapshot publishes the snapshot at zipPath to t, after checking the store can
// be reached. progress gets one line per object.
func publishSnapshot(ctx context.Context, zipPath string, t publishTarget, progress io.Writer) (s3store.PublishResult, error) {
	if zipPath == "" {
		return s3store.PublishResult{}, app.Errorf(app.EINVALID, "还没有快照可发布：请先生成快照", "there is no snapshot to publish: make one first")
	}
	if _, err := os.Stat(zipPath); err != nil {
		return s3store.PublishResult{}, app.Errorf(app.ENOTFOUND, "找不到快照 %s：请重新生成快照；没有上传任何文件", "the snapshot %s is missing: make it again; nothing was uploaded", zipPath)
	}
	if strings.TrimSpace(t.To) == "" {
		return s3store.PublishResult{}, app.Errorf(app.EINVALID, "请先填写发布目标（s3://存储桶/前缀）；没有上传任何文件", "fill in the target (s3://BUCKET/PREFIX) first; nothing was uploaded")
	}
	target, err := s3store.ParseTarget(strings.TrimSpace(t.To))
	if err != nil {
		return s3store.PublishResult{}, err
	}
	cred, err := s3store.LoadCredentials(strings.TrimSpace(t.Credentials))
	if err != nil {
		return s3store.PublishResult{}, err
	}
	st, err := s3store.Open(strings.TrimSpace(t.Endpoint), target.Bucket, cred)
	if err != nil {
		return s3store.PublishResult{}, err
	}
	if err := reachable(ctx, strings.TrimSpace(t.Endpoint)); err != nil {
		return s3store.PublishResult{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, PublishTimeout)
	defer cancel()
	res, err := s3store.Publish(ctx, st, target, zipPath, nil, progress)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) && err != nil {
		return res, app.Errorf(app.EINVALID, "发布超时（%v）：网络太慢或中断。已发布的快照不变；稍后再发布会接着上传", "publishing timed out (%v): the network is too slow or down. The published snapshot is unchanged; publish again later to resume", PublishTimeout)
	}
	return res, err
}

// lineWriter hands each complete line written to it to line.
type lineWriter struct {
	mu   sync.Mutex
	buf  []byte
	line func(string)
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := strings.IndexByte(string(l.buf), '\n')
		if i < 0 {
			break
		}
		l.line(string(l.buf[:i]))
		l.buf = l.buf[i+1:]
	}
	return len(p), nil
}

// snapshotScreen is the 快照 page.
type snapshotScreen struct {
	w       fyne.Window
	s       app.Services
	key     *widget.Entry
	folder  *widget.Entry
	last    *widget.Label // the last snapshot made here
	to      *widget.Entry
	ep      *widget.Entry
	cred    *widget.Entry
	status  *widget.Label // what the last action did, or its error
	heads   *widget.Label // the last published head
	bar     *widget.ProgressBar
	makeB   *widget.Button
	viewB   *widget.Button
	pubB    *widget.Button
	stopB   *widget.Button // cancels the job running (snapshot or publishing)
	stop    context.CancelFunc
	errs    *fyne.Container
	lastZip string
}

// Snapshot is the 快照 page.
func Snapshot(w fyne.Window, s app.Services) fyne.CanvasObject {
	return newSnapshotScreen(w, s).content()
}

func newSnapshotScreen(w fyne.Window, s app.Services) *snapshotScreen {
	v := &snapshotScreen{w: w, s: s}
	v.key = widget.NewEntry()
	v.key.SetPlaceHolder(L("业委会的签名私钥文件"))
	v.key.SetText(pref(SnapshotKeyPreference))
	v.folder = widget.NewEntry()
	v.folder.SetText(snapshotFolder())
	v.last = widget.NewLabel("")
	v.last.Wrapping = fyne.TextWrapWord
	v.to = widget.NewEntry()
	v.to.SetPlaceHolder(L("s3://存储桶/前缀"))
	v.to.SetText(pref(SnapshotTargetPreference))
	v.ep = widget.NewEntry()
	v.ep.SetPlaceHolder(L("服务地址（可留空）"))
	v.ep.SetText(pref(SnapshotEndpointPreference))
	v.cred = widget.NewEntry()
	v.cred.SetPlaceHolder(L("访问密钥文件（留空则用环境变量）"))
	v.cred.SetText(pref(SnapshotCredPreference))
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.heads = widget.NewLabel("")
	v.heads.Wrapping = fyne.TextWrapWord
	v.bar = widget.NewProgressBar()
	v.bar.Hide()
	v.errs = container.NewVBox()
	v.makeB = widget.NewButtonWithIcon(L("生成签名快照…"), theme.DocumentCreateIcon(), v.askMake)
	v.makeB.Importance = widget.HighImportance
	v.viewB = widget.NewButtonWithIcon(L("在本机打开查看页"), theme.VisibilityIcon(), v.openViewer)
	v.pubB = widget.NewButtonWithIcon(L("发布到对象存储"), theme.UploadIcon(), v.publish)
	v.stopB = widget.NewButtonWithIcon(L("取消"), theme.CancelIcon(), func() {
		if v.stop != nil {
			v.stop()
		}
	})
	v.stopB.Hide()
	v.setLast(pref(SnapshotLastPreference))
	v.loadHeads()
	return v
}

func (v *snapshotScreen) content() fyne.CanvasObject {
	browseKey := widget.NewButtonWithIcon(L("选择…"), theme.FolderOpenIcon(), func() {
		showFileDialog(dialog.NewFileOpen(func(f fyne.URIReadCloser, err error) {
			if err == nil && f != nil {
				v.key.SetText(f.URI().Path())
				f.Close()
			}
		}, v.w), v.w)
	})
	newKey := widget.NewButtonWithIcon(L("新建…"), theme.ContentAddIcon(), func() {
		AskNewSnapshotKey(v.w, func() { v.key.SetText(pref(SnapshotKeyPreference)) })
	})
	intro := paragraph(L("签名快照是给业主核对的账本副本：开放格式的账目、季度公示和查看页，用业委会的私钥签名。只写房号，不含业主姓名和证件号。口令每次询问，不会保存。"))
	form := widget.NewForm(
		widget.NewFormItem(L("私钥文件"), container.NewBorder(nil, nil, nil, container.NewHBox(browseKey, newKey), v.key)),
		widget.NewFormItem(L("保存到"), v.folder),
	)
	pubForm := widget.NewForm(
		widget.NewFormItem(L("发布目标"), v.to),
		widget.NewFormItem(L("服务地址"), v.ep),
		widget.NewFormItem(L("访问密钥文件"), v.cred),
	)
	box := container.NewVBox(
		Heading(L("签名快照")), intro, v.errs,
		form, container.NewHBox(v.makeB, v.viewB), v.last,
		widget.NewSeparator(),
		Heading(L("发布")), pubForm, container.NewHBox(v.pubB),
		container.NewBorder(nil, nil, nil, v.stopB, v.bar), v.status,
		widget.NewSeparator(),
		Heading(L("已发布的链头")), v.heads,
	)
	return container.NewVScroll(box)
}

// setLast shows the last snapshot made here.
func (v *snapshotScreen) setLast(path string) {
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			path = ""
		}
	}
	v.lastZip = path
	if path == "" {
		v.last.SetText(L("这台电脑上还没有生成过快照。"))
		v.viewB.Disable()
		v.pubB.Disable()
		return
	}
	v.last.SetText(L("最近的快照：%s", path))
	v.viewB.Enable()
	v.pubB.Enable()
}

// loadHeads shows the last head that left the laptop and the last snapshot's, with when;
// a failed load is shown on the page.
func (v *snapshotScreen) loadHeads() {
	v.errs.RemoveAll()
	if v.s.Published == nil {
		v.heads.SetText("")
		return
	}
	hs, err := v.s.Published.Published(context.Background())
	if err != nil {
		v.errs.Add(errorLine(err))
		v.heads.SetText("")
		return
	}
	var lines []string
	if len(hs) == 0 {
		lines = append(lines, L("还没有链头离开过这台电脑（没有打印过公示，也没有生成过快照）。"))
	} else {
		h := hs[len(hs)-1]
		lines = append(lines, L("最近一次：%s，凭证 %d 张，链头 %s（%s）", h.At.Local().Format("2006-01-02 15:04"), h.Seq, h.Hash, headWhat(h.What)))
		for i := len(hs) - 1; i >= 0; i-- {
			if strings.HasPrefix(hs[i].What, "snapshot ") {
				if i != len(hs)-1 {
					lines = append(lines, L("最近的快照：%s，凭证 %d 张，链头 %s", hs[i].At.Local().Format("2006-01-02 15:04"), hs[i].Seq, hs[i].Hash))
				}
				break
			}
		}
	}
	if p := strings.Split(pref(SnapshotPublishedPref), "\t"); len(p) == 3 {
		if t, err := time.Parse(time.RFC3339, p[0]); err == nil {
			lines = append(lines, L("最近发布：%s 发布到 %s（%s）", t.Local().Format("2006-01-02 15:04"), p[1], p[2]))
		}
	}
	v.heads.SetText(strings.Join(lines, "\n"))
}

// busy disables the buttons while a job runs.
func (v *snapshotScreen) busy(on bool) {
	for _, b := range []*widget.Button{v.makeB, v.viewB, v.pubB} {
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if on {
		v.stopB.Show()
		// Progress is news, not a warning: whatever the last line said.
		v.status.Importance = widget.MediumImportance
		v.status.Refresh()
	} else {
		v.setLast(v.lastZip)
		v.bar.Hide()
		v.stopB.Hide()
	}
}

// job starts a cancellable job: its context ends when 取消 is pressed.
func (v *snapshotScreen) job() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	v.stop = cancel
	return ctx
}

// failed shows why a job did not finish: a cancelled job calmly, an error in red and in
// a dialog.
func (v *snapshotScreen) failed(ctx context.Context, msg string, err error) {
	if ctx.Err() != nil {
		v.status.Importance = widget.MediumImportance
		v.status.SetText(L("已取消：%s", msg))
		return
	}
	v.status.Importance = widget.DangerImportance
	v.status.SetText(L("%s：%s", msg, err.Error()))
	v.status.Refresh()
	ShowError(err, v.w)
}

// askMake asks for the key's passphrase, then makes the snapshot.
func (v *snapshotScreen) askMake() {
	pass := widget.NewPasswordEntry()
	items := []*widget.FormItem{widget.NewFormItem(L("私钥口令"), pass)}
	d := dialog.NewForm(L("生成签名快照"), L("生成"), L("取消"), items, func(ok bool) {
		if ok {
			v.makeWith(pass.Text)
		}
	}, v.w)
	d.Resize(fyne.NewSize(460, 200))
	d.Show()
	v.w.Canvas().Focus(pass)
}

// makeWith makes the snapshot with the passphrase, showing progress.
func (v *snapshotScreen) makeWith(pass string) {
	keyPath, dir := strings.TrimSpace(v.key.Text), strings.TrimSpace(v.folder.Text)
	ctx := v.job()
	v.busy(true)
	v.bar.SetValue(0)
	v.bar.Show()
	v.status.SetText(L("正在生成快照…"))
	var (
		path string
		m    app.Manifest
		err  error
	)
	Spawn(func() {
		path, m, err = makeSnapshot(ctx, v.s, keyPath, pass, dir, v.s.Now(), func(done, total int) {
			f := float64(done) / float64(total)
			fyne.Do(func() { v.bar.SetValue(f) })
		})
	}, func() {
		v.busy(false)
		if err != nil {
			v.failed(ctx, L("没有生成快照"), err)
			return
		}
		setPref(SnapshotKeyPreference, keyPath)
		setPref(SnapshotFolderPreference, dir)
		setPref(SnapshotLastPreference, path)
		v.setLast(path)
		v.status.Importance = widget.SuccessImportance
		v.status.SetText(L("已生成签名快照 %s（凭证 %d 张，文件 %d 个；签名 %s）\n链头 %s", path, m.Entries, len(m.Files), path+".minisig", m.Head))
		ShowNotice(L("已生成签名快照"), v.w)
		v.loadHeads()
	})
}

// openViewer unpacks the last snapshot beside it and opens its index.html in the
// system's browser.
func (v *snapshotScreen) openViewer() {
	if v.lastZip == "" {
		ShowError(app.Errorf(app.EINVALID, "还没有快照：请先生成快照", "there is no snapshot yet: make one first"), v.w)
		return
	}
	dir := strings.TrimSuffix(v.lastZip, ".zip") + "-viewer"
	index, err := snapshot.UnpackViewer(v.lastZip, dir)
	if err != nil {
		ShowError(err, v.w)
		return
	}
	v.status.Importance = widget.MediumImportance
	v.status.SetText(L("查看页已写到 %s", index))
	openFile(index, v.w)
}

// publish uploads the last snapshot to the target on the page, which is then saved.
func (v *snapshotScreen) publish() {
	t := publishTarget{To: v.to.Text, Endpoint: v.ep.Text, Credentials: v.cred.Text}
	zip := v.lastZip
	ctx := v.job()
	v.busy(true)
	v.status.SetText(L("正在连接对象存储…"))
	var (
		res s3store.PublishResult
		err error
	)
	progress := &lineWriter{line: func(l string) { fyne.Do(func() { v.status.SetText(l) }) }}
	Spawn(func() {
		res, err = publishSnapshot(ctx, zip, t, progress)
	}, func() {
		v.busy(false)
		if err != nil {
			v.failed(ctx, L("没有发布"), err)
			return
		}
		setPref(SnapshotTargetPreference, strings.TrimSpace(t.To))
		setPref(SnapshotEndpointPreference, strings.TrimSpace(t.Endpoint))
		setPref(SnapshotCredPreference, strings.TrimSpace(t.Credentials))
		// Wall time on purpose: when the files really left this desk.
		setPref(SnapshotPublishedPref, time.Now().UTC().Format(time.RFC3339)+"\t"+res.Target.String()+"\t"+res.Name)
		v.status.Importance = widget.SuccessImportance
		v.status.SetText(L("已发布 %s 到 %s：%d 个文件，其中新上传 %d 个", res.Name, res.Target.String(), res.Files, res.Uploaded))
		v.status.Refresh()
		ShowNotice(L("已发布"), v.w)
		v.loadHeads()
	})
}

// headWhat says in words how a head left the laptop (PublishedHead.What is a code:
// "snapshot FILE", "publish TARGET", "gui print", "report arrears" …).
func headWhat(what string) string {
	rest := func(p string) string { return strings.TrimPrefix(what, p) }
	switch {
	case strings.HasPrefix(what, "snapshot "):
		return L("快照 %s", rest("snapshot "))
	case strings.HasPrefix(what, "publish "):
		return L("发布到 %s", rest("publish "))
	case what == "gui print":
		return L("公示打印")
	case strings.HasPrefix(what, "gui ") || strings.HasPrefix(what, "report "):
		kind := strings.TrimPrefix(strings.TrimPrefix(what, "gui "), "report ")
		for _, k := range reports.Kinds() {
			if k.Name == kind {
				return L("打印 %s", L(k.Title))
			}
		}
		return L("打印的公示")
	}
	return L("其他")
}
