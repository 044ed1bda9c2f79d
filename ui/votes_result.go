package ui

import (
	"context"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/reports"
)

// resultPane is the tally in words a committee member can read out loud.
type resultPane struct {
	w       fyne.Window
	s       app.Services
	v       *votesScreen
	tally   app.Tally
	verdict *widget.Label
	big     *fyne.Container // one large line per matter, green or red
	text    *widget.Label
	content fyne.CanvasObject
}

func newResultPane(w fyne.Window, s app.Services, v *votesScreen) *resultPane {
	r := &resultPane{w: w, s: s, v: v}
	r.verdict = widget.NewLabel("")
	r.verdict.Wrapping = fyne.TextWrapWord
	r.text = widget.NewLabel("")
	r.text.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(widget.NewButtonWithIcon(L("重新计票"), theme.ViewRefreshIcon(), r.refresh))
	buttons.Add(widget.NewButtonWithIcon(L("保存表决结果公告 PDF…"), theme.DocumentSaveIcon(), r.savePDF))
	r.big = container.NewVBox()
	r.content = container.NewBorder(buttons, nil, nil, nil, container.NewVScroll(container.NewVBox(r.big, r.verdict, widget.NewSeparator(), r.text)))
	r.refresh()
	return r
}

func passWord(p bool) string {
	if p {
		return L("通过")
	}
	return L("未通过")
}

func (r *resultPane) refresh() {
	t, err := r.s.Votes.Tally(context.Background(), r.v.rec.Assembly.ID)
	if err != nil {
		ShowError(err, r.w)
		return
	}
	r.tally = t
	r.verdict.SetText(ResultVerdict(t))
	r.big.Objects = nil
	for _, m := range t.Matters {
		word := passWord(m.Passed)
		if t.Ballots.Unreconciled > 0 {
			word += L("（暂定）")
		}
		l := widget.NewLabel(L("事项%d %s：%s", m.No, m.Title, word))
		l.SizeName = theme.SizeNameHeadingText
		l.TextStyle.Bold = true
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		if m.Passed {
			l.Importance = widget.SuccessImportance
		}
		r.big.Add(l)
	}
	r.big.Refresh()
	r.text.SetText(ResultText(t))
}

// ResultVerdict is the one-line outcome: each matter passed or not.
func ResultVerdict(t app.Tally) string {
	var parts []string
	for _, m := range t.Matters {
		parts = append(parts, L("事项%d %s", m.No, passWord(m.Passed)))
	}
	s := strings.Join(parts, "　")
	if !t.QuorumMet {
		s = L("参与表决未达到法定比例，全部事项不通过。") + "　" + s
	}
	if t.Ballots.Unreconciled > 0 {
		s += "　" + L("（仍有 %d 张票待核对，结果未定）", t.Ballots.Unreconciled)
	}
	return s
}

// ResultText is the tally as the announcement words it.
func ResultText(t app.Tally) string {
	var b strings.Builder
	w := func(s string) { b.WriteString(s + "\n") }
	ac := t.Accounting
	w(L("总面积 %s m²，总人数 %d；发出选票 %d 张 ＝ 收回 %d 张 ＋ 未收回 %d 张（收回含待核对原票 %d 张）。", t.Total.Area, t.Total.Heads, ac.Issued, ac.Returned, ac.NotReturned, ac.Pending))
	w(L("参与表决：面积 %s m²，人数 %d（有效选票 %d 张，其中代理 %d 张）。法定比例：面积和人数均须达到三分之二以上 —— %s。",
		t.Participating.Area, t.Participating.Heads, t.Participating.Ballots, t.Proxies, map[bool]string{true: L("已达到"), false: L("未达到")}[t.QuorumMet]))
	w(L("选票：录入 A %d 张，录入 B %d 张；一致或已核对 %d 张，待核对 %d 张；有效 %d，无效 %d，重复房号暂不计入 %d。",
		t.Ballots.EnteredA, t.Ballots.EnteredB, t.Ballots.Reconciled, t.Ballots.Unreconciled, t.Ballots.Valid, t.Ballots.Invalid, t.Ballots.Duplicates))
	if len(t.InvalidReasons) > 0 {
		var rs []string
		for code, n := range t.InvalidReasons {
			rs = append(rs, app.ReasonLabel(code)+" "+itoa(n))
		}
		sort.Strings(rs)
		w(L("无效原因：%s", strings.Join(rs, "，")))
	}
	w("")
	for _, m := range t.Matters {
		rule := L("参与表决面积和人数均过半数同意")
		if m.Kind == app.MatterMajor {
			rule = L("参与表决面积和人数均四分之三以上同意")
		}
		w(L("事项%d（%s）%s", m.No, kindLabel(m.Kind), m.Title))
		w(L("　同意：面积 %s m²，%d 人；反对：面积 %s m²，%d 人；弃权：面积 %s m²，%d 人。", m.Agree.Area, m.Agree.Heads, m.Oppose.Area, m.Oppose.Heads, m.Abstain.Area, m.Abstain.Heads))
		w(L("　需%s：面积%s，人数%s —— %s", rule, metWord(m.AreaMet), metWord(m.HeadsMet), passWord(m.Passed)))
		if m.Undecided > 0 {
			w(L("　另有 %d 位多户业主各票意见不一，待业委会核定，暂不计入任何一方。", m.Undecided))
		}
		if m.WithDeemed != nil {
			w(L("　含视为表决：同意 面积 %s m²，%d 人 —— %s", m.WithDeemed.Agree.Area, m.WithDeemed.Agree.Heads, passWord(m.WithDeemed.Passed)))
		}
	}
	if dt := t.DeemedTotals; dt != nil {
		dl := dt.Delivered
		w("")
		w(L("视为表决：有送达记录 %d 户，其中未交回任何选票 %d 户；视为参与 %d 户，面积 %s m²，新增 %d 人；含视为表决的参与面积 %s m²，%d 人，法定比例%s。",
			dl.Units, dl.NoBallot, dt.Units, dt.Area, dt.Heads, dt.Participating.Area, dt.Participating.Heads, map[bool]string{true: L("已达到"), false: L("未达到")}[dt.QuorumMet]))
		w(L("有送达记录但已交回选票、未计入的：无效票 %d 户，待核对 %d 户，重复票 %d 户。", dl.Invalid, dl.Pending, dl.Duplicate))
	}
	if len(t.Conflicts) > 0 {
		w("")
		w(L("待业委会核定：%d 处多户业主各票意见不一。", len(t.Conflicts)))
	}
	if len(t.Duplicates) > 0 {
		var ds []string
		for _, d := range t.Duplicates {
			ds = append(ds, d.Unit+"（"+strings.Join(d.Ballots, "、")+"）")
		}
		w(L("同一房号多张有效票，暂不计入：%s", strings.Join(ds, "；")))
	}
	return b.String()
}

func kindLabel(kind app.MatterKind) string {
	if kind == app.MatterMajor {
		return L("重大事项")
	}
	return L("一般事项")
}

func metWord(ok bool) string {
	if ok {
		return L("达到")
	}
	return L("未达到")
}

func (r *resultPane) savePDF() {
	PrintDocument(r.w, r.s, "tally", reports.Args{Vote: r.v.rec.Assembly.ID, Who: Operator()}, L("表决结果公告-%s.pdf", r.v.rec.Assembly.ID))
}
