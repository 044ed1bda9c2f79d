package reports

import (
	"context"
	"encoding/base64"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sunledger/app"
	"sunledger/internal/testtool"
	"sunledger/storage"
)

// TestReceipt_PrintsTheTreeAndItsLeaf: a receipt prints the record log's tree when it
// was printed (size and the first 16 hex of the root) and the leaf that names its entry,
// in its text and its QR code; the leaf is the one whose data names the entry's hash.
func TestReceipt_PrintsTheTreeAndItsLeaf(t *testing.T) {
	db, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	s := db.Services()
	if err := s.Book.Init(ctx, app.Community{Name: "测试小区", Notices: app.NoticeSettings{OfficePhone: "0519-88886666"}}, "t"); err != nil {
		t.Fatal(err)
	}
	if err := s.Register.ImportUnits(ctx, []app.Unit{{ID: "1-1-101", Kind: app.KindResidential, Area: bdec("90"), OwnerID: "O1", OwnerName: "业主O1"}}, "t", ""); err != nil {
		t.Fatal(err)
	}
	var last app.Payment
	for i := 0; i < 5; i++ {
		if last, err = s.Fees.Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: bdec("100"), Date: "2026-06-01"}, "t", ""); err != nil {
			t.Fatal(err)
		}
	}
	r, err := GatherReceipt(ctx, s, last.Receipt)
	if err != nil {
		t.Fatal(err)
	}
	th, _ := s.Log.TreeHead(ctx)
	if !r.HasLeaf || r.Tree != th {
		t.Fatalf("receipt tree %+v leaf %d (%v); the book's tree %+v", r.Tree, r.Leaf, r.HasLeaf, th)
	}
	data, err := s.Log.LeafData(ctx, r.Leaf)
	if err != nil || !strings.Contains(string(data), "\nentry "+strconv.FormatInt(last.EntrySeq, 10)+" "+r.EntryHash+"\n") {
		t.Fatalf("leaf %d does not name entry #%d %s: %q %v", r.Leaf, last.EntrySeq, r.EntryHash, data, err)
	}
	d := ReceiptDoc(r)
	wantAll(t, docText(t, d), "记录树 "+th.Short(), "叶子 "+strconv.FormatInt(r.Leaf, 10))
	q := qrText(d.DocNo(), d.Meta())
	if !strings.Contains(q, " tree="+strconv.FormatInt(th.Size, 10)+" root="+th.Short()[len(strconv.FormatInt(th.Size, 10))+2:]) || !strings.Contains(q, " leaf="+strconv.FormatInt(r.Leaf, 10)) {
		t.Errorf("QR text %q lacks the tree or the leaf", q)
	}
	if base64.StdEncoding.EncodeToString(th.Root[:]) == "" {
		t.Fatal("no root")
	}
}

// TestNotice_PrintsTheTreeItWasMadeAt: every notice saved through SaveDocument names the
// tree as it stood.
func TestNotice_PrintsTheTreeItWasMadeAt(t *testing.T) {
	testtool.Require(t, "pdftotext")
	db, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	s := db.Services()
	if err := s.Book.Init(ctx, app.Community{Name: "测试小区", Notices: app.NoticeSettings{OfficePhone: "0519-88886666"}}, "t"); err != nil {
		t.Fatal(err)
	}
	if err := s.Register.ImportUnits(ctx, []app.Unit{{ID: "1-1-101", Kind: app.KindResidential, Area: bdec("90"), OwnerID: "O1", OwnerName: "业主O1"}}, "t", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Fees.Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: bdec("100"), Date: "2026-06-01"}, "t", ""); err != nil {
		t.Fatal(err)
	}
	th, _ := s.Log.TreeHead(ctx)
	path := filepath.Join(t.TempDir(), "arrears.pdf")
	if err := SaveDocument(ctx, s, ArrearsDoc("", "", "2026-06-02", nil, app.LateFeeRule{}), path, Publication{What: "report arrears"}); err != nil {
		t.Fatal(err)
	}
	wantAll(t, testtool.Squeeze(testtool.PDFText(t, path)), "记录树 "+th.Short())
}
