package snapshot

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
)

// TestDeflate_ZipsWrittenSideBySideReadBack: zips written at once on several goroutines,
// their deflaters shared through the pool (the bills are deflated ahead beside the
// journal), hold every file as written, read back by archive/zip's own inflate.
func TestDeflate_ZipsWrittenSideBySideReadBack(t *testing.T) {
	content := func(z, f int) string {
		return strings.Repeat(fmt.Sprintf("zip %d file %d 账单,%d.%02d\n", z, f, f*37%1000, f%100), 200*(f%5)+1)
	}
	zips := make([][]byte, 6)
	var wg sync.WaitGroup
	for z := range zips {
		wg.Go(func() {
			var buf bytes.Buffer
			zw := newZipWriter(&buf)
			for f := range 40 {
				w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("f%02d.csv", f), Method: zip.Deflate})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := io.WriteString(w, content(z, f)); err != nil {
					t.Error(err)
					return
				}
			}
			if err := zw.Close(); err != nil {
				t.Error(err)
			}
			zips[z] = buf.Bytes()
		})
	}
	wg.Wait()
	for z, b := range zips {
		r, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("zip %d: %v", z, err)
		}
		for f, file := range r.File {
			rc, err := file.Open()
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || string(got) != content(z, f) {
				t.Fatalf("zip %d, %s: read back %d bytes (%v), wrote %d", z, file.Name, len(got), err, len(content(z, f)))
			}
			if file.CompressedSize64 >= file.UncompressedSize64 && file.UncompressedSize64 > 1000 {
				t.Errorf("zip %d, %s: %d bytes deflated to %d", z, file.Name, file.UncompressedSize64, file.CompressedSize64)
			}
		}
	}
}
