package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/storage"
)

// BenchmarkServicePage_Opens20000Requests opens the 服务 page over a real book of 1,000
// units and 20,000 requests of a year (each with on-site, fixed and return-visit steps)
// and lays it out in a test window. The target is under a second per opening.
func BenchmarkServicePage_Opens20000Requests(b *testing.B) {
	ctx := context.Background()
	db, err := storage.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	s := db.Services()
	if err := s.Book.Init(ctx, app.Community{Name: "bench"}, "t"); err != nil {
		b.Fatal(err)
	}
	var units []app.Unit
	for i := 0; i < 1000; i++ {
		units = append(units, app.Unit{ID: fmt.Sprintf("1-1-%04d", i), Kind: app.KindResidential, Area: decimal.NewFromInt(88), OwnerID: fmt.Sprintf("O%d", i), OwnerName: "业主"})
	}
	if err := s.Register.ImportUnits(ctx, units, "t", ""); err != nil {
		b.Fatal(err)
	}
	start := time.Now().AddDate(-1, 0, 0).Truncate(time.Minute)
	var reqs []app.ServiceRequest
	for i := 0; i < 20000; i++ {
		at := start.Add(time.Duration(i) * 26 * time.Minute)
		reqs = append(reqs, app.ServiceRequest{Unit: units[i%len(units)].ID, Kind: app.ServiceRepair, Description: "厨房水管漏水", At: at,
			Steps: []app.ServiceStepRecord{{Step: app.StepOnsite, At: at.Add(30 * time.Minute)}, {Step: app.StepFixed, At: at.Add(2 * time.Hour)},
				{Step: app.StepVisit, At: at.Add(48 * time.Hour), Rating: 5}}})
	}
	for i := 0; i < len(reqs); i += 2000 {
		if err := db.Services().Service.ImportServiceRequests(ctx, reqs[i:i+2000], "t", ""); err != nil {
			b.Fatal(err)
		}
	}
	test.NewTempApp(b)
	w := test.NewTempWindow(b, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1366, 768))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := newServiceScreen(w, s)
		w.SetContent(v.content)
		if v.table.Rows() != 20000 {
			b.Fatalf("%d rows", v.table.Rows())
		}
	}
}
