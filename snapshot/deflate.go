package snapshot

import (
	"archive/zip"
	"io"
	"sync"

	"github.com/klauspost/compress/flate"
)

// newZipWriter is a zip writer that deflates with klauspost/compress's flate, which
// writes the same format as compress/flate at the same level in about half the CPU: the
// journal's and the bills' CSVs deflated were a fifth of an export's CPU (docs/
// snapshot.md, "Size and speed"). Any unzip reads it.
func newZipWriter(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, newDeflater)
	return zw
}

// deflaters keeps flate writers between files, as archive/zip does for its own: each
// holds about a megabyte of tables, and a snapshot has a hundred files.
var deflaters sync.Pool

func newDeflater(w io.Writer) (io.WriteCloser, error) {
	fw, ok := deflaters.Get().(*flate.Writer)
	if ok {
		fw.Reset(w)
	} else {
		var err error
		if fw, err = flate.NewWriter(w, flate.DefaultCompression); err != nil {
			return nil, err
		}
	}
	return &pooledDeflater{fw: fw}, nil
}

// pooledDeflater returns its writer to deflaters when closed.
type pooledDeflater struct {
	mu sync.Mutex
	fw *flate.Writer
}

func (d *pooledDeflater) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fw == nil {
		return 0, io.ErrClosedPipe
	}
	return d.fw.Write(p)
}

func (d *pooledDeflater) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fw == nil {
		return nil
	}
	err := d.fw.Close()
	deflaters.Put(d.fw)
	d.fw = nil
	return err
}
