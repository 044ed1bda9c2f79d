package reports

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// The quarter's assessment and remuneration notice (物业服务考核及酬金公示,
// docs/remuneration.md): the score the property company's pay follows, its parts, and
// the remuneration it makes — each month at the base rate, the factor of the score, the
// quarter's true-up and what the quarter's remuneration comes to.

// AssessmentNotice is what the notice prints: the recorded assessment, the clause, the
// quarter's accruals and its true-up (nil until made).
type AssessmentNotice struct {
	Assessment app.Assessment
	Contract   *app.RemunerationContract
	Accruals   []app.RemunerationAccrual
	TrueUp     *app.RemunerationTrueUp
}

// makeAssessment is the notice of quarter a.Period: refused until its assessment is
// recorded.
func makeAssessment(ctx context.Context, b book, a Args) (*Doc, error) {
	q, err := app.ParseQuarter(strings.TrimSpace(a.Period))
	if err != nil {
		return nil, err
	}
	if b.s.Remuneration == nil {
		return nil, app.Errorf(app.ENOTFOUND, "%s 还没有登记考核", "%s has no recorded assessment", q)
	}
	var n AssessmentNotice
	as, err := b.s.Remuneration.Assessments(ctx)
	if err != nil {
		return nil, err
	}
	found := false
	for _, x := range as {
		if x.Quarter == q {
			n.Assessment, found = x, true
		}
	}
	if !found {
		return nil, app.Errorf(app.ENOTFOUND, "%s 还没有登记考核（季度结束后用 assessment compute 计算并登记）；没有生成公示", "%s has no recorded assessment (compute and record it with assessment compute once the quarter is over); no notice was made", q)
	}
	if c, err := b.s.Remuneration.RemunerationContract(ctx); err == nil {
		n.Contract = &c
	} else if app.ErrorCode(err) != app.ENOTFOUND {
		return nil, err
	}
	acc, err := b.s.Remuneration.Accruals(ctx)
	if err != nil {
		return nil, err
	}
	for _, x := range acc {
		if app.QuarterOf(x.Month) == q {
			n.Accruals = append(n.Accruals, x)
		}
	}
	tus, err := b.s.Remuneration.TrueUps(ctx)
	if err != nil {
		return nil, err
	}
	for i := range tus {
		if tus[i].Quarter == q {
			n.TrueUp = &tus[i]
		}
	}
	return AssessmentDoc(b.c.Name, b.head, b.date, n), nil
}

// AssessmentDoc lays the notice out. date is the day it is printed, the first day of
// the 公示期.
func AssessmentDoc(community, head, date string, n AssessmentNotice) *Doc {
	a := n.Assessment
	q := a.Quarter
	title := fmt.Sprintf(app.T("%s 年第 %s 季度物业服务考核及酬金公示", "Service assessment and remuneration, %s Q%s"), q[:4], q[5:])
	d := NewDoc(DocMeta{Community: community, Public: true, Title: title, Subtitle: app.T("考核季度 ", "Quarter ") + q + app.T("　登记于 ", "  recorded ") + a.At.Local().Format(app.DateLayout),
		HeadHash: head, DocID: "assessment-" + q, Date: date})
	d.Para(app.T("信托制物业：物业服务企业不取利润，按合同取得酬金。酬金每月按基数和比例计提，季度结束后按该季度的考核得分确定系数，对该季度酬金作一次调整：季度酬金 = 基数 × 比例 × 考核系数。考核只在季度结束后计算，计算所用的数据随考核一起记录，可重新计算核对。",
		"Trust-based management: the property company keeps no profit and earns the contracted remuneration. It is accrued monthly at the base rate; after the quarter, the quarter's assessment score sets a factor and the quarter's remuneration is adjusted once: remuneration = base × rate × factor. The assessment is computed only after the quarter, and the figures it used are recorded with it so it can be computed again."))

	d.Heading(app.T("一、考核得分", "1. The score"))
	kv := []KV{{Key: app.T("综合得分", "Score"), Value: a.Total().StringFixed(2) + app.T(" 分（满分 100 分）", " (out of 100)")}}
	if a.Override != nil {
		computed := "–"
		if a.Basis != nil {
			computed = a.Basis.Computed.StringFixed(2)
		}
		kv = append(kv, KV{Key: app.T("人工调整", "Set by hand"), Value: app.T("计算得分 ", "computed ") + computed + app.T("，调整原因：", "; reason: ") + a.OverrideWhy})
	}
	if a.Note != "" {
		kv = append(kv, KV{Key: app.T("说明", "Note"), Value: a.Note})
	}
	d.KV(kv)

	d.Heading(app.T("二、得分构成", "2. Its parts"))
	var rows [][]string
	if a.Basis != nil {
		for _, c := range a.Basis.Components {
			sc, ct := "–", "–"
			if c.Present {
				sc, ct = c.Score.StringFixed(2), c.Contribution.StringFixed(2)
			} else if c.Unreliable {
				sc = c.Score.StringFixed(2) + app.T("（不可靠，未计入）", " (unreliable, left out)")
			}
			rows = append(rows, []string{c.Name, c.Weight.String(), sc, ct, c.Source})
		}
		d.Table([]Col{{Title: app.T("组成", "Part"), Width: 26}, {Title: app.T("权重", "Weight"), Width: 14, Align: "R"}, {Title: app.T("得分", "Score"), Width: 34, Align: "R"}, {Title: app.T("贡献", "Share"), Width: 16, Align: "R"}, {Title: app.T("依据", "From")}},
			rows, TableOpts{Zebra: true, Totals: []string{app.T("综合得分", "Score"), "", "", a.Basis.Computed.StringFixed(2), ""}})
		d.Note(app.T("综合得分 = Σ 权重 × 得分 ÷ 计入部分的权重之和；没有数据或不可靠的部分不计入。业主评价按每件请求的评价 1–5 分折算（1 分为 0，5 分为 100）；参与率低于最低参与率的满意度调查不计入。",
			"Score = Σ weight × score ÷ the weights of the parts counted; a part without data or unreliable is left out. Owners' ratings 1–5 are scaled so that 1 is 0 and 5 is 100; a survey below the minimum participation is left out."))
	} else {
		for _, x := range a.Scores {
			rows = append(rows, []string{x.Item, x.Weight.String(), x.Score.StringFixed(2)})
		}
		d.Table([]Col{{Title: app.T("考核项目", "Item")}, {Title: app.T("权重", "Weight"), Width: 24, Align: "R"}, {Title: app.T("得分", "Score"), Width: 30, Align: "R"}},
			rows, TableOpts{Zebra: true, Totals: []string{app.T("加权得分", "Weighted score"), "", a.Total().StringFixed(2)}})
	}

	d.Heading(app.T("三、本季度酬金", "3. The quarter's remuneration"))
	if n.Contract != nil {
		clause := fmt.Sprintf(app.T("每月%s的 %s%%", "%[2]s%% of each month's %[1]s"), app.RemunerationBaseLabel(n.Contract.Base), n.Contract.Percent.String())
		if n.Contract.Mode == app.RemunerationFixed {
			clause = fmt.Sprintf(app.T("每月固定 %s", "%s a month"), app.FormatAmount(n.Contract.Monthly))
		}
		var bands []string
		for _, bd := range n.Contract.Bands {
			bands = append(bands, fmt.Sprintf(app.T("%d 分及以上 ×%s", "from %d: ×%s"), bd.MinScore, bd.Factor.String()))
		}
		if len(bands) > 0 {
			clause += app.T("；考核系数：", "; factors: ") + strings.Join(bands, app.T("，", ", "))
		}
		d.Para(app.T("合同酬金条款：", "The contract's clause: ") + clause + app.T("。", "."))
	}
	rows = nil
	sum, base := decimal.Zero, decimal.Zero
	for _, x := range n.Accruals {
		rate := x.Percent.String() + "%"
		if x.Mode == app.RemunerationFixed {
			rate = app.T("固定", "fixed")
		}
		rows = append(rows, []string{x.Month, app.FormatAmount(x.Base), rate, app.FormatAmount(x.Amount), fmt.Sprintf("#%d", x.Entry)})
		sum, base = sum.Add(x.Amount), base.Add(x.Base)
	}
	if len(rows) > 0 {
		d.Table([]Col{{Title: app.T("月份", "Month"), Width: 22}, {Title: app.T("基数", "Base"), Align: "R"}, {Title: app.T("比例", "Rate"), Width: 18, Align: "R"}, {Title: app.T("按基础比例计提", "At the base rate"), Align: "R"}, {Title: app.T("凭证", "Entry"), Width: 20, Align: "R"}},
			rows, TableOpts{Zebra: true, Caption: app.T("每月计提（按基础比例）", "Monthly accruals (at the base rate)"), Totals: []string{app.T("合计", "Total"), app.FormatAmount(base), "", app.FormatAmount(sum), ""}})
	}
	if t := n.TrueUp; t != nil {
		entry := app.T("无需调整", "nothing to adjust")
		if t.Entry != 0 {
			entry = fmt.Sprintf(app.T("%s 记账，凭证 #%d", "posted %s, entry #%d"), t.Date, t.Entry)
		}
		d.KV([]KV{
			{Key: app.T("按基础比例合计", "At the base rate"), Value: app.FormatAmount(t.Accrued)},
			{Key: app.T("考核系数", "Factor"), Value: t.Factor.String() + app.T("（得分 ", " (score ") + t.Score.StringFixed(2) + app.T("）", ")")},
			{Key: app.T("本季度酬金", "The quarter's remuneration"), Value: app.FormatAmount(t.Accrued) + " × " + t.Factor.String() + " = " + app.FormatAmount(t.Due)},
			{Key: app.T("考核调整", "True-up"), Value: app.FormatAmount(t.Amount) + app.T("（", " (") + entry + app.T("）", ")")},
		})
	} else {
		d.Para(app.T("本季度各月的酬金尚未全部计提：全部计提后，按上述得分的系数自动调整，调整结果在下一次公示中列出。",
			"Not every month of the quarter is accrued yet: once they are, the quarter is adjusted by the factor of this score automatically, and the next notice shows it."))
	}
	d.Note(app.T("页脚的账本链头可用快照核对；考核所用数据随考核记录在账本中，阳光账本核对（verify）时逐项重新计算。",
		"The journal head in the footer can be checked against a snapshot; the figures the score used are kept with it in the book, and verify computes it again."))
	d.Signatures(app.T("业主委员会（盖章）", "Owners' committee (seal)"), app.T("物业服务企业", "Property company"), app.T("社区复核", "Community review"))
	return d
}
