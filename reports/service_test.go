package reports

import (
	"strings"
	"testing"
	"time"

	"sunledger/app"
)

func TestServiceReport_ShowsSharesMediansOverdueUnitsAndNoNames(t *testing.T) {
	at := func(s string) time.Time {
		x, err := app.ParseServiceTime(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	step := func(r app.ServiceRequest, s app.ServiceStep, when string, rating int) app.ServiceRequest {
		r, err := r.AddStep(app.DefaultServiceStandard(), app.ServiceStepRecord{Step: s, At: at(when), Rating: rating})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a := app.ServiceRequest{ID: "S000001", Unit: "3-2-1501", Kind: app.ServiceRepair, Description: "张三家水管漏水", Reporter: "张三", At: at("2026-01-05T09:00")}
	a = step(a, app.StepOnsite, "2026-01-05T09:30", 0)
	a = step(a, app.StepFixed, "2026-01-05T11:00", 0)
	a = step(a, app.StepVisit, "2026-01-06T09:00", 5)
	b := app.ServiceRequest{ID: "S000002", Unit: "1-1-101", Kind: app.ServiceComplaint, Complex: true, Description: "李四投诉噪音", At: at("2026-02-01T20:00")}
	b = step(b, app.StepOnsite, "2026-02-01T21:00", 0)
	reqs := []app.ServiceRequest{a, b}
	st := app.ComputeServiceStats(reqs, app.ServiceStandards{{Standard: app.DefaultServiceStandard()}}, "2026-01", "2026-03", at("2026-04-01T09:00"))
	text := docText(t, ServiceReportDoc("阳光花园小区", "headhash123", "2026-04-01", st, []app.ServiceRequest{b}, ServiceCountsOf(st, []app.ServiceRequest{b})))
	for _, w := range []string{"2026年第1季度物业服务质量公示", "报修", "投诉", "合计2", "到场", "40分钟", "50.0%", "100.0%", "45分钟",
		"3小时（一般）", "2天（复杂）", "S000002", "1-1-101", "方案、回访", "平均5.00分", "公示期：2026-04-01至2026-04-15", "headhash123"} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF lacks %q", w)
		}
	}
	for _, name := range []string{"张三", "李四", "漏水"} {
		if strings.Contains(text, name) {
			t.Errorf("the notice names %q", name)
		}
	}
}

func TestServicePeriodTitle(t *testing.T) {
	for in, want := range map[[2]string]string{
		{"2026-01", "2026-03"}: "2026 年第 1 季度",
		{"2026-10", "2026-12"}: "2026 年第 4 季度",
		{"2026-03", "2026-03"}: "2026 年 3 月",
		{"2026-01", "2026-12"}: "2026 年度",
		{"2026-02", "2026-04"}: "2026-02 至 2026-04",
	} {
		if got := ServicePeriodTitle(in[0], in[1]); got != want {
			t.Errorf("%v: %q, want %q", in, got, want)
		}
	}
}
