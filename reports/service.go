package reports

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"sunledger/app"
)

// ServicePeriodTitle names a period of months from..to for a title: "2026 年第 1 季度",
// "2026 年 3 月", "2026 年度" or "2026-01 至 2026-05".
func ServicePeriodTitle(from, to string) string {
	y, m := from[:4], from[5:7]
	switch {
	case from == to:
		n, _ := strconv.Atoi(m)
		return y + " 年 " + strconv.Itoa(n) + " 月"
	case to == y+"-12" && m == "01":
		return y + " 年度"
	case to[:4] == y && app.QuarterOf(from) == app.QuarterOf(to) && (m == "01" || m == "04" || m == "07" || m == "10"):
		return y + " 年第 " + app.QuarterOf(from)[5:] + " 季度"
	}
	return from + " 至 " + to
}

// ServiceReportDoc lays out the service report (物业服务质量公示) for the notice board:
// the requests of the period by kind, how each step of the response standard was met
// (how many were due, how many within, the share and the median time), the owners'
// ratings and the overdue requests by unit number. It names units, never owners, and
// prints no description (an owner may have written a name into it). date is the day
// it is printed, the first day of the 公示期. assessed, when given, is the quarter's
// recorded assessment: its score and parts are published with the report.
//
// counts are the period's requests by category (电梯, 给排水…) and by the standard that
// judges each (ServiceCountsOf).
func ServiceReportDoc(community, head, date string, st app.ServiceStats, overdue []app.ServiceRequest, counts ServiceCounts, assessed ...app.Assessment) *Doc {
	title := ServicePeriodTitle(st.From, st.To) + "物业服务质量公示"
	d := NewDoc(DocMeta{Community: community, Public: true, Title: title, Subtitle: st.From + " 至 " + st.To + "　统计截至 " + app.FormatServiceTime(st.At),
		HeadHash: head, DocID: "service-" + st.From + "-" + st.To, Date: date})
	d.Para("依照信托制物业服务的约定，物业服务企业对业主的报修、投诉和咨询按小区服务响应标准限时办理，办理情况向全体业主公开。本公示由阳光账本按逐件登记的时间生成。")
	stdText := st.Standard.String()
	if len(st.Standards) > 1 {
		var names []string
		for _, s := range st.Standards {
			names = append(names, s.String())
		}
		stdText = strings.Join(names, "；") + "（本期内标准有变更，每件请求按业主报告当日有效的标准考核）"
	}
	d.Para("服务响应标准：" + stdText + "。各时限均从业主报告时（未记报告时间的从登记时）起算，恰好到时限仍算达标。")

	d.Heading("一、受理情况")
	var rows [][]string
	for _, k := range app.ServiceKinds {
		rows = append(rows, []string{app.ServiceKindLabel(k), strconv.Itoa(st.ByKind[k])})
	}
	rows = append(rows, []string{"其中复杂事项", strconv.Itoa(st.Complex)})
	d.Table([]Col{{Title: "类别"}, {Title: "件数", Width: 40, Align: "R"}}, rows, TableOpts{Zebra: true, Totals: []string{"合计", strconv.Itoa(st.Requests)}})
	if len(counts.ByCategory) > 0 {
		rows = nil
		for _, c := range app.ServiceCategories {
			k := counts.ByCategory[c]
			if k[0]+k[1]+k[2] == 0 {
				continue
			}
			rows = append(rows, []string{c.Label(), strconv.Itoa(k[0]), strconv.Itoa(k[1]), strconv.Itoa(k[2]), strconv.Itoa(k[0] + k[1] + k[2])})
		}
		d.Table([]Col{{Title: "事项"}, {Title: "报修", Width: 24, Align: "R"}, {Title: "投诉", Width: 24, Align: "R"}, {Title: "咨询", Width: 24, Align: "R"}, {Title: "合计", Width: 24, Align: "R"}},
			rows, TableOpts{Zebra: true, Caption: "按事项分类（登记时未选分类的按描述归类）"})
	}
	if len(counts.ByStandard) > 0 {
		rows = nil
		for _, x := range counts.ByStandard {
			rows = append(rows, []string{x.Standard, strconv.Itoa(x.Requests), strconv.Itoa(x.OnTime)})
		}
		d.Table([]Col{{Title: "考核标准"}, {Title: "件数", Width: 30, Align: "R"}, {Title: "各环节均达标", Width: 34, Align: "R"}},
			rows, TableOpts{Zebra: true, Caption: "按考核标准（每件按业主报告当日有效的标准考核）"})
	}

	d.Heading("二、响应标准执行情况")
	rows = nil
	for _, step := range st.StepKeys() {
		c := st.Steps[step]
		med := "–"
		if tm := st.Times[step]; tm.Done > 0 {
			med = app.FormatDuration(tm.Median)
		}
		var lims []string
		for _, s := range st.Standards {
			if l := stepLimits(s, step); l != "" && !slices.Contains(lims, l) {
				lims = append(lims, l)
			}
		}
		rows = append(rows, []string{app.ServiceStepLabel(step), strings.Join(lims, " / "), strconv.Itoa(c.Due), strconv.Itoa(c.Within), c.Share(), med})
	}
	d.Table([]Col{{Title: "步骤"}, {Title: "时限"}, {Title: "应考核", Width: 20, Align: "R"}, {Title: "达标", Width: 20, Align: "R"}, {Title: "达标率", Width: 22, Align: "R"}, {Title: "中位用时", Width: 30, Align: "R"}},
		rows, TableOpts{Zebra: true})
	d.Note("应考核 = 标准要求该步骤、且已办理或已过时限的件数（尚在时限内未办理的不计）；达标 = 在业主报告后时限内（含恰好到时限）办理的件数；达标率 = 达标 ÷ 应考核；中位用时按已办理的件数计算。")

	d.Heading("三、业主评价")
	if st.Rated == 0 {
		d.Para("本期没有业主评价。")
	} else {
		d.Para("本期 " + strconv.Itoa(st.Rated) + " 件有业主评价，平均 " + st.AverageRating() + " 分（满分 5 分）。")
	}

	d.Heading("四、超时未办")
	if len(overdue) == 0 {
		d.Para("本期没有超时未办的请求。")
	} else {
		rows = nil
		for _, r := range overdue {
			var late []string
			std := st.Versions.For(r)
			for _, step := range std.Steps() {
				if r.Status(std, step, st.At) == app.StepOverdue {
					late = append(late, app.ServiceStepLabel(step))
				}
			}
			kind := app.ServiceKindLabel(r.Kind)
			if r.Complex {
				kind += "（复杂）"
			}
			rows = append(rows, []string{r.ID, r.Unit, kind, app.FormatServiceTime(r.At), strings.Join(late, "、")})
		}
		d.Table([]Col{{Title: "编号", Width: 24}, {Title: "房号", Width: 30}, {Title: "类别", Width: 28}, {Title: "登记时间", Width: 36}, {Title: "超时未办的步骤"}},
			rows, TableOpts{Zebra: true, Totals: []string{"共 " + strconv.Itoa(len(overdue)) + " 件", "", "", "", ""}})
	}
	for _, a := range assessed {
		d.Heading("五、" + a.Quarter + " 物业服务考核得分")
		d.Para("综合得分 " + a.Total().StringFixed(2) + " 分（满分 100 分），于 " + a.At.Local().Format(app.DateLayout) + " 季度结束后计算并登记；酬金按合同约定的考核分档计提。")
		if a.Override != nil {
			d.Para("该得分经人工调整，原因：" + a.OverrideWhy + "。")
		}
		if a.Basis != nil {
			rows = nil
			for _, c := range a.Basis.Components {
				sc, ct := "–", "–"
				if c.Present {
					sc, ct = c.Score.StringFixed(2), c.Contribution.StringFixed(2)
				} else if c.Unreliable {
					sc = c.Score.StringFixed(2) + "（不可靠，未计入）"
				}
				rows = append(rows, []string{c.Name, c.Weight.String(), sc, ct, c.Source})
			}
			d.Table([]Col{{Title: "组成", Width: 26}, {Title: "权重", Width: 14, Align: "R"}, {Title: "得分", Width: 34, Align: "R"}, {Title: "贡献", Width: 16, Align: "R"}, {Title: "依据"}},
				rows, TableOpts{Zebra: true})
			d.Note("综合得分 = Σ 权重 × 得分 ÷ 计入部分的权重之和；没有数据或不可靠的部分不计入。业主评价按每件请求的评价 1–5 分折算（1 分为 0，5 分为 100）；满意度调查的最低一档为 0 分；参与率低于设定最低参与率的调查不计入。")
		}
	}
	d.Note("为保护个人信息，本公示只列房号，不列业主姓名和请求内容。页脚的账本链头可用快照核对。")
	d.Signatures("业主委员会（盖章）", "物业服务企业", "社区复核")
	return d
}

// stepLimits writes a step's limits under a standard: "3小时（一般）；2天（复杂）".
func stepLimits(s app.ServiceStandard, step app.ServiceStep) string {
	var out []string
	for _, l := range s.Limits {
		if l.Step != step {
			continue
		}
		x := app.FormatLimit(l.Minutes)
		switch l.For {
		case app.ForSmall:
			x += "（一般）"
		case app.ForComplex:
			x += "（复杂）"
		}
		out = append(out, x)
	}
	return strings.Join(out, "；")
}

// ServiceSlipDoc is the request slip (服务请求回执单) handed to the owner: the request's
// number (the slip number the owner keeps and signs off against), unit, kind, when and
// how it was reported, each limit of its standard with the latest time it is due, the
// steps so far and the lines for the owner's signature. It prints no name: the reporter
// signs by hand.
func ServiceSlipDoc(community, head, date string, r app.ServiceRequest, std app.ServiceStandard) *Doc {
	d := NewDoc(DocMeta{Community: community, Title: "服务请求回执单", Subtitle: "回执单号 " + r.ID + "　请妥善保管，凭此单号查询和确认办结",
		HeadHash: head, DocID: "slip-" + r.ID, Date: date, Size: "A5"})
	kind := app.ServiceKindLabel(r.Kind)
	if r.Complex {
		kind += "（复杂）"
	}
	rows := []KV{{Key: "回执单号", Value: r.ID}, {Key: "房号", Value: r.Unit}, {Key: "类别", Value: kind}, {Key: "内容", Value: r.Description}}
	if !r.ReportedAt.IsZero() {
		rows = append(rows, KV{Key: "业主报告时间", Value: app.FormatServiceTime(r.ReportedAt)})
	}
	if r.Channel != "" {
		rows = append(rows, KV{Key: "报告渠道", Value: app.ServiceChannelLabel(r.Channel)})
	}
	rows = append(rows, KV{Key: "登记时间", Value: app.FormatServiceTime(r.At)})
	if r.Handler != "" {
		rows = append(rows, KV{Key: "经办人", Value: r.Handler})
	}
	d.KV(rows)
	d.Heading("服务时限（" + std.Name + "，从业主报告时起算）")
	var trows [][]string
	for _, step := range std.Steps() {
		lim, held := std.Limit(step, r.Complex)
		if !held {
			continue
		}
		done := "未办"
		if at, ok := r.Done(step); ok {
			done = app.FormatServiceTime(at)
		}
		trows = append(trows, []string{app.ServiceStepLabel(step), app.FormatLimit(int(lim / time.Minute)), app.FormatServiceTime(r.Start().Add(lim)), done})
	}
	d.Table([]Col{{Title: "步骤"}, {Title: "时限", Width: 24}, {Title: "最迟", Width: 34}, {Title: "办理时间", Width: 34}}, trows, TableOpts{Zebra: true})
	d.Para("如认为没有办好，请在修复后 " + strconv.Itoa(app.ServiceReopenDays) + " 天内凭本单号要求重新办理；办好后请在本单签字确认，业委会登记本单号。")
	d.Signatures("业主签字确认（日期）", "物业经办人", "业委会登记")
	return d
}

// ServiceCounts are a period's requests by category (报修, 投诉, 咨询 counts of each) and
// by the standard that judges them.
type ServiceCounts struct {
	ByCategory map[app.ServiceCategory][3]int
	ByStandard []StandardCount
}

// StandardCount is how many requests a standard judged, and how many met every limit
// of it that was due.
type StandardCount struct {
	Standard         string
	Requests, OnTime int
}

// ServiceCountsOf counts the requests registered in st's period by category and by the
// standard (st.Versions) that judges each, at st.At.
func ServiceCountsOf(st app.ServiceStats, reqs []app.ServiceRequest) ServiceCounts {
	c := ServiceCounts{ByCategory: map[app.ServiceCategory][3]int{}}
	idx := map[string]int{}
	for _, r := range reqs {
		if !r.InPeriod(st.From, st.To) {
			continue
		}
		k := c.ByCategory[r.CategoryOf()]
		switch r.Kind {
		case app.ServiceRepair:
			k[0]++
		case app.ServiceComplaint:
			k[1]++
		default:
			k[2]++
		}
		c.ByCategory[r.CategoryOf()] = k
		std := st.Versions.For(r)
		name := std.String()
		i, ok := idx[name]
		if !ok {
			i = len(c.ByStandard)
			idx[name] = i
			c.ByStandard = append(c.ByStandard, StandardCount{Standard: std.Name})
		}
		c.ByStandard[i].Requests++
		if onTime(r, std, st.At) {
			c.ByStandard[i].OnTime++
		}
	}
	return c
}

// onTime reports whether no step of r is late or overdue under std at now.
func onTime(r app.ServiceRequest, std app.ServiceStandard, now time.Time) bool {
	for _, step := range std.Steps() {
		if s := r.Status(std, step, now); s == app.StepLate || s == app.StepOverdue {
			return false
		}
	}
	return true
}
