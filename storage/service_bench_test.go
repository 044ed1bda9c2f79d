package storage

import (
	"context"
	"fmt"
	"testing"
	"time"

	"sunledger/app"
)

// serviceBook20k is a book with 20,000 requests over a year, each with four steps.
func serviceBook20k(b *testing.B) *DB {
	b.Helper()
	ctx := context.Background()
	db, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.bookService().Init(ctx, app.Community{Name: "bench"}, "t"); err != nil {
		b.Fatal(err)
	}
	var units []app.Unit
	for i := 0; i < 1000; i++ {
		units = append(units, unit(fmt.Sprintf("1-1-%04d", i), "88", fmt.Sprintf("O%d", i)))
	}
	if err := db.registerService().ImportUnits(ctx, units, "t", ""); err != nil {
		b.Fatal(err)
	}
	start, _ := app.ParseServiceTime("2026-01-01T08:00")
	var reqs []app.ServiceRequest
	for i := 0; i < 20000; i++ {
		at := start.Add(time.Duration(i) * 26 * time.Minute)
		reqs = append(reqs, app.ServiceRequest{Unit: units[i%len(units)].ID, Kind: app.ServiceRepair, Description: "厨房水管漏水", At: at,
			Steps: []app.ServiceStepRecord{{Step: app.StepOnsite, At: at.Add(30 * time.Minute)}, {Step: app.StepFixed, At: at.Add(2 * time.Hour)},
				{Step: app.StepVisit, At: at.Add(48 * time.Hour), Rating: 5}}})
	}
	for i := 0; i < len(reqs); i += 2000 {
		if err := db.serviceDesk().ImportServiceRequests(ctx, reqs[i:i+2000], "t", ""); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// The statistics of a year of 20,000 requests should take well under 200 ms.
func BenchmarkServiceStats_AYearOf20000Requests(b *testing.B) {
	db := serviceBook20k(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := db.serviceDesk().ServiceStats(context.Background(), "2026")
		if err != nil || st.Requests == 0 {
			b.Fatal(st.Requests, err)
		}
	}
}

// The 服务 page loads every request and the standard.
func BenchmarkServiceRequests_20000(b *testing.B) {
	db := serviceBook20k(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if rs, err := db.serviceDesk().ServiceRequests(context.Background()); err != nil || len(rs) != 20000 {
			b.Fatal(len(rs), err)
		}
	}
}
