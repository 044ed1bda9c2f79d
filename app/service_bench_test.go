package app

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkComputeServiceStats_AYearOf20000Requests computes the statistics of a year
// (counts by kind, the share within each step of the standard, median times, the
// overdue list) over 20,000 requests with three steps each. The target is under 200 ms.
func BenchmarkComputeServiceStats_AYearOf20000Requests(b *testing.B) {
	start, _ := ParseServiceTime("2026-01-01T08:00")
	kinds := []ServiceKind{ServiceRepair, ServiceComplaint, ServiceEnquiry}
	reqs := make([]ServiceRequest, 0, 20000)
	for i := 0; i < 20000; i++ {
		at := start.Add(time.Duration(i) * 26 * time.Minute)
		r := ServiceRequest{ID: fmt.Sprintf("S%06d", i+1), Unit: fmt.Sprintf("1-1-%04d", i%1000), Kind: kinds[i%3], Description: "厨房水管漏水", At: at}
		if i%10 != 0 { // one in ten still waits: overdue
			r.Steps = []ServiceStepRecord{{Step: StepOnsite, At: at.Add(time.Duration(20+i%40) * time.Minute)}, {Step: StepFixed, At: at.Add(time.Duration(60+i%300) * time.Minute)},
				{Step: StepVisit, At: at.Add(48 * time.Hour), Rating: 1 + i%5}}
		}
		reqs = append(reqs, r)
	}
	std := DefaultServiceStandard()
	now := start.AddDate(1, 0, 10)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st := ComputeServiceStats(reqs, ServiceStandards{{Standard: std}}, "2026-01", "2026-12", now)
		if st.Requests != 20000 {
			b.Fatal(st.Requests)
		}
	}
}
