package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"sunledger/app"
	"time"

	"github.com/shopspring/decimal"
)

// demoServiceChunk bounds how many requests go into one transaction.
const demoServiceChunk = 2000

var demoServiceDesc = map[app.ServiceKind][]string{
	app.ServiceRepair: {"厨房水管漏水", "卫生间地漏堵塞", "楼道灯不亮", "电梯按键失灵", "单元门禁故障", "外墙渗水", "地下车库照明损坏",
		"消防栓箱门脱落", "屋面防水层破损", "楼道扶手松动", "雨水管堵塞", "垃圾房门锁损坏", "小区路面破损", "绿化喷灌漏水"},
	app.ServiceComplaint: {"夜间装修噪音", "楼道堆放杂物", "宠物粪便未清理", "车辆占用消防通道", "高空抛物", "保洁不及时",
		"广场舞音响过大", "群租扰民"},
	app.ServiceEnquiry: {"物业费缴费方式", "装修申报流程", "车位租赁", "维修资金使用程序", "快递柜位置", "门禁卡补办", "公共收益公示时间"},
}

// demoService records a year of requests under the 54321 standard, about one for every
// two units, with its own random stream from the seed so the other steps' data stay the
// same. Most steps are on time; some are late; a few requests were never finished (the
// overdue list); the newest ones are still in progress.
func demoService(ctx context.Context, s app.Services, d *builder) error {
	if s.Service == nil || len(d.Units) == 0 {
		return nil
	}
	if err := s.Service.SetServiceStandard(ctx, app.ServiceStandardVersion{Standard: app.DefaultServiceStandard()}, "demo", "demo"); err != nil {
		return err
	}
	// mid-year the owners' assembly adopts Wuhan's standard for requests reported from the
	// first day of the month four months ago; earlier requests keep 54321
	wuhan, _ := app.ServiceStandardPreset(app.StandardWuhan)
	change := time.Date(d.now.Year(), d.now.Month()-4, 1, 0, 0, 0, 0, time.Local).Format(app.DateLayout)
	if err := s.Service.SetServiceStandard(ctx, app.ServiceStandardVersion{From: change, Standard: wuhan}, "demo", "demo: 业主大会决定改用武汉标准"); err != nil {
		return err
	}
	if s.Cash != nil { // a committee's cash limit: the dashboard warns above it
		if err := s.Cash.SetCashLimit(ctx, app.FundService, decimal.NewFromInt(50000), "demo", "demo"); err != nil {
			return err
		}
	}
	r := rand.New(rand.NewPCG(uint64(d.Opts.Seed), 0x5e41ce))
	now := d.now.Truncate(time.Minute)
	start := time.Date(now.Year()-1, now.Month(), 1, 0, 0, 0, 0, time.Local)
	days := int(now.Sub(start).Hours()/24) + 1
	n := max(len(d.Units)/2, 12)
	var flats []app.Unit
	for _, u := range d.Units {
		if u.Kind != app.KindParking {
			flats = append(flats, u)
		}
	}
	if len(flats) == 0 {
		flats = d.Units
	}
	reqs := make([]app.ServiceRequest, 0, n)
	for i := 0; i < n; i++ {
		at := start.AddDate(0, 0, r.IntN(days)).Add(time.Duration(7*60+r.IntN(14*60)) * time.Minute)
		if at.After(now) {
			at = now.Add(-time.Duration(r.IntN(600)) * time.Minute)
		}
		req := app.ServiceRequest{Unit: flats[r.IntN(len(flats))].ID, At: at, Channel: app.ServiceChannels[r.IntN(len(app.ServiceChannels))]}
		// the owner's report: mostly a few minutes before the registration, now and then
		// the company is slow to write it down
		if x := r.IntN(100); x < 70 {
			req.ReportedAt = at.Add(-time.Duration(r.IntN(5)) * time.Minute)
		} else if x < 76 {
			req.ReportedAt = at.Add(-time.Duration(6+r.IntN(40)) * time.Minute)
		}
		switch x := r.IntN(100); {
		case x < 65:
			req.Kind, req.Complex = app.ServiceRepair, r.IntN(100) < 15
		case x < 80:
			req.Kind, req.Complex = app.ServiceComplaint, r.IntN(100) < 10
		default:
			req.Kind = app.ServiceEnquiry
		}
		descs := demoServiceDesc[req.Kind]
		req.Description = descs[r.IntN(len(descs))]
		req.Steps = demoServiceSteps(r, req, now)
		reqs = append(reqs, req)
	}
	// Registration order: ids follow the time requests came in.
	sortByTime(reqs)
	stds, err := s.Service.ServiceStandards(ctx)
	if err != nil {
		return err
	}
	demoServiceLifecycle(r, reqs, stds, now)
	for i := 0; i < len(reqs); i += demoServiceChunk {
		if err := s.Service.ImportServiceRequests(ctx, reqs[i:min(i+demoServiceChunk, len(reqs))], "demo", "demo"); err != nil {
			return err
		}
	}
	// the overdue and reopened requests go to the joint meeting's agenda
	all, err := s.Service.ServiceRequests(ctx)
	if err != nil {
		return err
	}
	for _, req := range app.ToEscalate(all, stds, now) {
		if _, err := s.Service.RecordServiceEvent(ctx, req.ID, app.ServiceEvent{Kind: app.EventEscalate, At: now, Text: "超时或重新打开，提交联席会议"}, "demo"); err != nil {
			return err
		}
	}
	return nil
}

// demoServiceLifecycle gives the requests (before they are imported) every path:
// handlers, owners' sign-offs on most fixed requests, a few recent fixes reopened (half
// of them fixed again). Each change goes through AddEvent / AddStep, as the CLI's would.
func demoServiceLifecycle(r *rand.Rand, reqs []app.ServiceRequest, stds app.ServiceStandards, now time.Time) {
	handlers := []string{"王师傅", "李师傅", "客服 陈静", "秩序主管 赵强"}
	reopened := 0
	for i := range reqs {
		req := &reqs[i]
		req.Handler = handlers[r.IntN(len(handlers))]
		fixed, ok := req.Done(app.StepFixed)
		if !ok {
			continue
		}
		last := req.Last()
		if now.Sub(fixed) < 25*24*time.Hour && now.Sub(last) > 4*time.Hour && reopened < 4 && r.IntN(3) == 0 {
			x, err := req.AddEvent(app.ServiceEvent{Kind: app.EventReopen, At: last.Add(time.Hour), Text: "业主反映问题仍未解决", Who: "demo"})
			if err != nil {
				continue
			}
			if reopened%2 == 0 {
				if y, err := x.AddStep(stds.For(x), app.ServiceStepRecord{Step: app.StepFixed, At: last.Add(3 * time.Hour), Note: "返修", Who: "demo"}); err == nil {
					x = y
				}
			}
			*req = x
			reopened++
			continue
		}
		if at := fixed.Add(30 * time.Minute); r.IntN(100) < 75 && !at.After(now) {
			if x, err := req.AddEvent(app.ServiceEvent{Kind: app.EventSignoff, At: at, Slip: fmt.Sprintf("No.%05d", i+1), Who: "demo"}); err == nil {
				*req = x
			}
		}
	}
}
func sortByTime(reqs []app.ServiceRequest) {
	sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].At.Before(reqs[j].At) })
}

// demoServiceSteps makes a request's steps: minutes after registration, mostly within
// the 54321 limits, only those that happened before now.
func demoServiceSteps(r *rand.Rand, req app.ServiceRequest, now time.Time) []app.ServiceStepRecord {
	abandoned := r.IntN(100) < 2 // never finished: overdue
	mins := func(lo, hi int) time.Duration { return time.Duration(lo+r.IntN(hi-lo+1)) * time.Minute }
	var steps []app.ServiceStepRecord
	t := req.At
	add := func(step app.ServiceStep, after time.Duration, rating int) bool {
		at := req.At.Add(after)
		if at.Before(t) {
			at = t
		}
		if at.After(now) {
			return false
		}
		t = at
		steps = append(steps, app.ServiceStepRecord{Step: step, At: at, Rating: rating, Who: "demo"})
		return true
	}
	if !add(app.StepAnswered, mins(1, 15), 0) {
		return steps
	}
	onsite := mins(8, 40)
	if r.IntN(100) < 8 {
		onsite = mins(41, 150)
	}
	if !add(app.StepOnsite, onsite, 0) || abandoned {
		return steps
	}
	var done time.Duration
	if req.Complex {
		plan := mins(3*60, 40*60)
		if r.IntN(100) < 10 {
			plan = mins(49*60, 96*60)
		}
		if !add(app.StepPlan, plan, 0) {
			return steps
		}
		done = plan + mins(12*60, 3*24*60)
	} else {
		done = onsite + mins(20, 150)
		if r.IntN(100) < 12 {
			done = mins(181, 10*60)
		}
	}
	if !add(app.StepFixed, done, 0) {
		return steps
	}
	if r.IntN(100) < 4 { // no return visit
		return steps
	}
	visit := mins(24*60, 6*24*60)
	if r.IntN(100) < 10 {
		visit = mins(7*24*60+60, 12*24*60)
	}
	if req.Complex {
		visit = done + mins(60, 2*24*60)
	}
	rating := []int{5, 5, 5, 4, 4, 4, 3, 5, 4, 2}[r.IntN(10)]
	add(app.StepVisit, visit, rating)
	return steps
}
