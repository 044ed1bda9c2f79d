// Package snapshot writes and checks signed snapshots: one zip holding the community's
// books in open formats (CSV with a UTF-8 BOM so Excel reads Chinese, JSON, the quarterly
// disclosure PDFs that package reports renders) and manifest.json listing every file's size
// and SHA-256, with FILE.zip.minisig beside it: a minisign signature in the prehashed ED
// form, so the standard `minisign -Vm FILE.zip -p KEY.pub` verifies it too. Inside the zip,
// manifest.json.minisig signs the manifest alone, and index.html (viewer.go) is the
// owner viewer that checks it in a browser. The rules (the manifest, the signed comment,
// the chain re-walk, the published heads) are in app/snapshot.go.
//
// What leaves the laptop names units, never owners: no owner name, owner id, phone or
// per-unit vote choice; ballots are published as counts. The register travels only in
// the encrypted backup.
//
// Each part of the zip is one function in snapshotParts (parts.go); a new part is
// one more line. Writing and signing are in sign.go, checking in verify.go. The package
// does not render PDFs: the caller hands it a Disclosure that does (reports.QuarterlyPDF).
package snapshot

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"strings"
	"time"

	"aead.dev/minisign"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/sheet"
)

// snapWriter adds files to the zip and records each in the manifest.
type snapWriter struct {
	zw       *zip.Writer
	s        app.Services
	manifest app.Manifest
	walk     *app.ChainCheck     // the journal as exported, set by snapJournal
	key      minisign.PrivateKey // signs the checkpoint (snapLog)
	// moneyBy is what snapJournal gathers on its one read of the journal: each
	// fund's money moved by quarter of date.
	moneyBy map[string]map[app.Fund]decimal.Decimal
	recent  []string // receipts named by entries dated in receipts.json's months, in chain order
	// bank is each bank account's movements (bankOrder: those with statement lines, in
	// the chart's order), gathered by snapJournal for snapBank.
	bank      map[string][]bankItem
	bankOrder []string
	embed     map[string][]byte // what the owner viewer embeds (landingFile)
	disclose  Disclosure
	pdfs      chan disclosures // what snapDisclosures renders, for snapQuarterly
	bills     *aheadFile       // bills.csv, made ahead (snapBills)
}

// Disclosure writes the quarterly disclosure (收支公示) PDF of year and quarter to w, as the
// book stood at its first upTo entries on the day date, naming community and head. It is
// reports.QuarterlyPDF; the snapshot embeds what it renders.
type Disclosure func(ctx context.Context, s app.Services, year, quarter int, date string, upTo int64, community, head string, w io.Writer) error

// hashWriter counts and hashes what goes through it.
type hashWriter struct {
	w    io.Writer
	h    hash.Hash
	n    int64
	keep *bytes.Buffer // the bytes, for a file the viewer embeds
}

func (hw *hashWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

// file adds one file to the zip through write and lists it in the manifest.
func (z *snapWriter) file(name string, write func(w io.Writer) error) error {
	w, err := z.begin(name)
	if err != nil {
		return err
	}
	if err := write(w); err != nil {
		return err
	}
	z.finish(name, w)
	return nil
}

// begin starts the file name in the zip; what is written to the writer it returns is
// hashed, counted and, for a file the owner viewer embeds (landingFile), kept. finish
// lists it in the manifest. Only one file is open at a time (zip.Writer).
func (z *snapWriter) begin(name string) (*hashWriter, error) {
	fw, err := z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.manifest.Created})
	if err != nil {
		return nil, app.Internal(err)
	}
	hw := &hashWriter{w: fw, h: sha256.New()}
	if landingFile(name) {
		hw.keep = &bytes.Buffer{}
		hw.w = io.MultiWriter(fw, hw.keep)
	}
	return hw, nil
}

func (z *snapWriter) finish(name string, hw *hashWriter) {
	if hw.keep != nil && hw.keep.Len() <= maxEmbedded {
		z.embed[name] = hw.keep.Bytes()
	}
	z.manifest.Files = append(z.manifest.Files, app.ManifestFile{Name: name, Size: hw.n, SHA256: hex.EncodeToString(hw.h.Sum(nil))})
}

// The owner viewer (index.html) embeds what its first page shows, and that page is the
// same size for any book (docs/snapshot.md, "The owner viewer"): the small JSON files
// (balances, quarters, budget, votes, the heads published before, the journal's periods,
// the arrears by age), each at most maxEmbedded bytes. The journal by period, the
// arrears unit by unit, the units, the CSVs and the PDFs stay beside it: the viewer
// fetches one when the owner opens it (or, opened from a USB stick, asks for it with a
// file picker) and checks it against the signed manifest.
const maxEmbedded = 256 << 10

func landingFile(name string) bool {
	if name == CheckpointName { // the viewer checks the checkpoint too
		return true
	}
	if !strings.HasSuffix(name, ".json") || strings.HasPrefix(name, JournalDir) && name != PeriodsName {
		return false
	}
	switch name {
	case "arrears.json", "units.json":
		return false
	}
	return true
}

// csv adds a CSV file with a UTF-8 BOM, a header row and the rows rows gives to add.
func (z *snapWriter) csv(name string, header []string, rows func(add func(...string) error) error) error {
	return z.file(name, func(w io.Writer) error { return writeCSV(w, header, rows) })
}

// writeCSV writes a UTF-8 BOM, the header row and the rows rows gives to add to w.
func writeCSV(w io.Writer, header []string, rows func(add func(...string) error) error) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return app.Internal(err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(sheet.SafeRow(header)); err != nil {
		return app.Internal(err)
	}
	if err := rows(func(r ...string) error { return cw.Write(sheet.SafeRow(r)) }); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// aheadFile is a file of the zip made ahead of its turn (ahead): compressed, in a zip
// of its own holding only it, with its size and SHA-256.
type aheadFile struct {
	name string
	done chan struct{}
	zip  []byte
	n    int64
	sum  []byte
	err  error
}

// ahead starts making the file name on a goroutine of its own, so that with two cores
// it is made while the parts before it are written. What write writes is compressed
// as begin would (the same header, the zip's own compressor) into a zip in memory that
// holds it alone: only the compressed bytes are kept (bills.csv: 16 MB, 3 MB
// compressed). addAhead copies them into the snapshot when the file's turn comes, so
// the zip holds the same bytes, in the same order, as if the file were written there
// (TestSnapshot_FileMadeAheadIsTheSameBytes). write must only read the book; the file
// must not be one the viewer embeds (landingFile).
func (z *snapWriter) ahead(name string, write func(w io.Writer) error) *aheadFile {
	a := &aheadFile{name: name, done: make(chan struct{})}
	created := z.manifest.Created
	go func() {
		defer close(a.done)
		var buf bytes.Buffer
		zw := newZipWriter(&buf)
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: created})
		if err != nil {
			a.err = app.Internal(err)
			return
		}
		hw := &hashWriter{w: fw, h: sha256.New()}
		if a.err = write(hw); a.err != nil {
			return
		}
		if err := zw.Close(); err != nil {
			a.err = app.Internal(err)
			return
		}
		a.zip, a.n, a.sum = buf.Bytes(), hw.n, hw.h.Sum(nil)
	}()
	return a
}

// addAhead adds the file ahead made, waiting for it, and lists it in the manifest.
func (z *snapWriter) addAhead(ctx context.Context, a *aheadFile) error {
	select {
	case <-a.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if a.err != nil {
		return a.err
	}
	r, err := zip.NewReader(bytes.NewReader(a.zip), int64(len(a.zip)))
	if err != nil || len(r.File) != 1 || r.File[0].Name != a.name {
		return app.Internal(fmt.Errorf("%s made ahead: %v", a.name, err))
	}
	if err := z.zw.Copy(r.File[0]); err != nil {
		return app.Internal(err)
	}
	a.zip = nil // the bytes are in the snapshot now
	z.manifest.Files = append(z.manifest.Files, app.ManifestFile{Name: a.name, Size: a.n, SHA256: hex.EncodeToString(a.sum)})
	return nil
}

// jsonAndCSV adds rows as base.json and as base.csv under header, cells giving each
// row's cells.
func jsonAndCSV[T any](z *snapWriter, base string, rows []T, header []string, cells func(T) []string) error {
	if err := z.json(base+".json", rows); err != nil {
		return err
	}
	return z.csv(base+".csv", header, func(add func(...string) error) error {
		for _, r := range rows {
			if err := add(cells(r)...); err != nil {
				return err
			}
		}
		return nil
	})
}

// json adds v as an indented JSON file.
func (z *snapWriter) json(name string, v any) error {
	return z.file(name, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

func amt(d decimal.Decimal) string { return d.StringFixed(2) }

// Names of the files of a snapshot that the manifest cannot list, since they hold it:
// the manifest's own signature and the owner viewer, which embeds the manifest, that
// signature and the JSON files it shows. The zip's signature covers them all.
const (
	ManifestSigName = app.ManifestName + ".minisig"
	ViewerName      = "index.html"
)

// Build writes the snapshot zip of the book to w and returns its manifest. key
// signs the manifest (manifest.json.minisig), which the owner viewer checks in the
// browser; the zip as a whole is signed by Write.
func Build(ctx context.Context, s app.Services, now time.Time, w io.Writer, key minisign.PrivateKey, disclose Disclosure) (app.Manifest, error) {
	return buildSnapshot(ctx, s, now, w, key, disclose, nil)
}

// Progress hears how far a snapshot has got: done of total parts written.
type Progress func(done, total int)

func buildSnapshot(ctx context.Context, s app.Services, now time.Time, w io.Writer, key minisign.PrivateKey, disclose Disclosure, progress Progress) (app.Manifest, error) {
	ctx, cancel := context.WithCancel(ctx) // stops snapDisclosures when a part fails
	defer cancel()
	c, err := s.Book.Community(ctx)
	if err != nil {
		return app.Manifest{}, err
	}
	z := &snapWriter{zw: newZipWriter(w), s: s, embed: map[string][]byte{}, disclose: disclose, key: key,
		manifest: app.Manifest{Format: app.SnapshotFormat, Community: c.Name, Created: now.UTC().Truncate(time.Second)}}
	z.bills = z.ahead("bills.csv", func(w io.Writer) error { return billsCSV(ctx, s, w) })
	for i, part := range snapshotParts {
		if err := part(ctx, z); err != nil {
			return app.Manifest{}, err
		}
		if progress != nil {
			progress(i+1, len(snapshotParts)+1)
		}
	}
	mb, err := json.MarshalIndent(z.manifest, "", "  ")
	if err != nil {
		return app.Manifest{}, app.Internal(err)
	}
	mb = append(mb, '\n')
	sig := minisign.NewReader(bytes.NewReader(mb))
	if _, err := io.Copy(io.Discard, sig); err != nil {
		return app.Manifest{}, app.Internal(err)
	}
	sigText := sig.SignWithComments(key, app.SnapshotComment(z.manifest), "signature from sunledger committee key "+KeyID(key.ID()))
	pub, err := key.Public().(minisign.PublicKey).MarshalText()
	if err != nil {
		return app.Manifest{}, app.Internal(err)
	}
	viewer, err := ViewerPage(mb, sigText, pub, z.embed)
	if err != nil {
		return app.Manifest{}, err
	}
	for _, f := range []struct {
		name string
		b    []byte
	}{{app.ManifestName, mb}, {ManifestSigName, sigText}, {ViewerName, viewer}} {
		fw, err := z.zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: z.manifest.Created})
		if err != nil {
			return app.Manifest{}, app.Internal(err)
		}
		if _, err := fw.Write(f.b); err != nil {
			return app.Manifest{}, app.Internal(err)
		}
	}
	if err := z.zw.Close(); err != nil {
		return app.Manifest{}, app.Internal(err)
	}
	return z.manifest, nil
}
