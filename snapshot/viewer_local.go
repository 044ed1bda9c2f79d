package snapshot

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"

	"sunledger/app"
	"sunledger/internal/atomicfile"
)

// maxUnpackBytes bounds what UnpackViewer writes: a snapshot's parts are CSVs, JSON and
// PDFs of one community, far below this.
const maxUnpackBytes = 2 << 30

// UnpackViewer writes every file of the snapshot at zipPath into dir (the owner viewer
// index.html with the CSVs, JSON and PDFs it links), so that the committee opens the
// viewer on its own laptop as an owner would from the published folder. It returns the
// path of index.html. Entry names that could leave dir are refused; a file already in
// dir is replaced.
func UnpackViewer(zipPath, dir string) (string, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return "", app.Errorf(app.EINVALID, "无法打开快照 %s：%v（没有写出查看页）", "cannot open the snapshot %s: %v (no viewer was written)", zipPath, err)
	}
	defer zr.Close()
	var hasViewer bool
	for _, f := range zr.File {
		if !safeUnpackName(f.Name) {
			return "", app.Errorf(app.EINVALID, "快照 %s 含有不安全的文件名 %q，没有写出查看页", "the snapshot %s holds an unsafe file name %q; no viewer was written", zipPath, f.Name)
		}
		hasViewer = hasViewer || f.Name == ViewerName
	}
	if !hasViewer {
		return "", app.Errorf(app.EINVALID, "快照 %s 里没有查看页 %s", "the snapshot %s has no viewer %s", zipPath, ViewerName)
	}
	var total int64
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return "", app.Errorf(app.EINVALID, "无法写入文件夹 %s：%v", "cannot write to the folder %s: %v", dir, err)
		}
		rc, err := f.Open()
		if err != nil {
			return "", badZipFile(f.Name, err)
		}
		err = atomicfile.Write(dst, func(w io.Writer) error {
			n, err := io.Copy(w, io.LimitReader(rc, maxUnpackBytes-total+1))
			total += n
			if err == nil && total > maxUnpackBytes {
				err = app.Errorf(app.EINVALID, "快照 %s 解开后太大", "the snapshot %s is too large once unpacked", zipPath)
			}
			return err
		})
		rc.Close()
		if err != nil {
			return "", app.Errorf(app.EINVALID, "无法写出 %s：%v", "cannot write %s: %v", dst, err)
		}
	}
	return filepath.Join(dir, ViewerName), nil
}

// safeUnpackName says whether a zip entry's name stays inside the folder it is unpacked
// into: relative, forward slashes, no "." or ".." segment, no drive letter or control
// character.
func safeUnpackName(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || strings.Contains(name, ":") {
		return false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	for _, seg := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}
