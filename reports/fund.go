package reports

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// FundDoc is the maintenance-fund statement (维修资金收支情况公示): balances, deposits,
// interest and repairs of the year, every movement, each usage application with the
// owners' vote it rests on and its progress, and each building's share. date is the day
// it is printed (YYYY-MM-DD).
func FundDoc(community, head, date string, s app.MaintenanceStatement) *Doc {
	d := NewDoc(DocMeta{Community: community, Public: true, HeadHash: head, DocID: "fund-" + strconv.Itoa(s.Year), Date: date,
		Title: fmt.Sprintf(app.T("%d 年度专项维修资金收支情况公示", "Maintenance fund %d"), s.Year)})
	d.Para(app.T("专项维修资金专用于共用部位、共用设施设备保修期满后的维修和更新、改造；每次使用须经业主大会表决通过（《民法典》第二百七十八条、第二百八十一条），并经两位委员联签、社区复核后支付。金额单位：元。",
		"The maintenance fund pays only for repairs, renewal and improvement of the common parts after warranty; each use needs an owners' vote that passed (Civil Code arts. 278, 281), two committee signatures and the community's review. Amounts in yuan."))
	d.Heading(app.T("一、收支概况", "1. Summary"))
	d.KV([]KV{
		{app.T("期初余额", "Opening balance"), app.FormatAmount(s.Opening)},
		{app.T("本年缴存", "Deposits"), app.FormatAmount(s.Deposits)},
		{app.T("利息及增值收益", "Interest and returns"), app.FormatAmount(s.Interest)},
		{app.T("其他收入", "Other income"), app.FormatAmount(s.OtherIncome)},
		{app.T("维修支出", "Repairs paid"), app.FormatAmount(s.Repairs)},
		{app.T("期末余额", "Closing balance"), app.FormatAmount(s.Closing) + "（" + app.AmountInWords(s.Closing) + "）"},
	})
	d.Heading(app.T("二、本年收支明细", "2. Movements"))
	if len(s.Movements) == 0 {
		d.Para(app.T("本年没有收支。", "No movements this year."))
	} else {
		var rows [][]string
		for _, e := range s.Movements {
			amt := decimal.Zero
			for _, p := range e.Postings {
				if p.Account == app.BankAccount(app.FundMaintenance) || p.Account == app.CashAccount(app.FundMaintenance) {
					amt = amt.Add(p.Amount)
				}
			}
			rows = append(rows, []string{e.Date, "#" + strconv.FormatInt(e.Seq, 10), e.Description, app.FormatAmount(amt)})
		}
		d.Table([]Col{{Title: app.T("日期", "Date"), Width: 24}, {Title: app.T("凭证", "Entry"), Width: 16}, {Title: app.T("摘要", "Description")}, {Title: app.T("金额", "Amount"), Width: 32, Align: "R"}}, rows, TableOpts{Zebra: true})
	}
	d.Heading(app.T("三、使用申请及进度", "3. Usage applications"))
	if len(s.Applications) == 0 {
		d.Para(app.T("本年没有使用申请。", "No applications."))
	} else {
		var rows [][]string
		for _, a := range s.Applications {
			x := a.Expense
			where := app.ScopeLabel(a.Scope)
			rows = append(rows, []string{x.ID, x.Description, x.Payee, app.FormatAmount(x.Amount), fmt.Sprintf("%s #%d", x.Vote, x.Matter), where, app.ProgressLabel(a.Progress)})
		}
		d.Table([]Col{{Title: app.T("编号", "No."), Width: 20}, {Title: app.T("用途", "Purpose")}, {Title: app.T("收款人", "Payee"), Width: 30},
			{Title: app.T("金额", "Amount"), Width: 26, Align: "R"}, {Title: app.T("表决", "Vote"), Width: 22}, {Title: app.T("分摊范围", "Shared by"), Width: 24}, {Title: app.T("进度", "Progress"), Width: 22}}, rows, TableOpts{Zebra: true})
		d.Note(app.T("进度：已申请 → 已表决通过 → 已审批（两位委员联签、社区复核）→ 已支付。", "Progress: applied → vote passed → approved (two signatures, community review) → paid."))
	}
	if len(s.Units) > 0 {
		fundUnits(d, s)
	} else if len(s.Shares) > 0 {
		d.Heading(app.T("四、各楼栋分摊", "4. Share of each building"))
		var rows [][]string
		for _, sh := range s.Shares {
			rows = append(rows, []string{sh.Building, sh.Area.StringFixed(2), app.FormatAmount(sh.Repairs), app.FormatAmount(sh.Share)})
		}
		d.Table([]Col{{Title: app.T("楼栋", "Building")}, {Title: app.T("专有面积（m²）", "Area (m²)"), Align: "R"}, {Title: app.T("本楼专用维修累计", "Repairs for it alone"), Align: "R"}, {Title: app.T("应有份额", "Share"), Align: "R"}}, rows, TableOpts{Zebra: true})
		d.Note(app.T("份额按专有部分面积分摊；只为某一楼栋支付的维修由该楼栋承担。", "Shares follow exclusive area; a repair for one building alone is borne by that building."))
	}
	d.Signatures(app.T("业主委员会（盖章）", "Owners' committee (seal)"), app.T("财务委员", "Treasurer"))
	return d
}

// fundUnits is the statement's per-unit sub-ledger (分户账): the buildings with their
// totals, then each building's units with a building total, the grand total equal to the
// closing balance.
func fundUnits(d *Doc, s app.MaintenanceStatement) {
	d.Heading(app.T("四、分户账（按楼栋）", "4. Sub-ledger by building"))
	d.Para(app.T("每户维修资金余额按其交存额、分得的利息（按计息前余额分配）和所承担的维修费用（按专有部分面积在表决范围内分摊，分摊到分，尾差按最大余数法分配）逐笔计算，各户之和等于维修资金期末余额。余额低于首期交存额 30% 的房号应当续交（《住宅专项维修资金管理办法》第十七条）。",
		"Each unit's balance follows its deposits, its interest (shared by the balance before it was credited) and its share of each repair (by exclusive area within the vote's scope, to the 分, the last 分 by largest remainder); the units add up to the closing balance. A unit below 30% of its first deposit must top up (维修资金管理办法 art. 17)."))
	var brows [][]string
	var area, bal, rep decimal.Decimal
	for _, sh := range s.Shares {
		brows = append(brows, []string{sh.Building, sh.Area.StringFixed(2), app.FormatAmount(sh.Repairs), app.FormatAmount(sh.Share)})
		area, bal, rep = area.Add(sh.Area), bal.Add(sh.Share), rep.Add(sh.Repairs)
	}
	d.Table([]Col{{Title: app.T("楼栋", "Building")}, rightCol(app.T("专有面积（m²）", "Area (m²)"), 0), rightCol(app.T("累计分摊维修", "Repairs borne"), 0), rightCol(app.T("余额合计", "Balance"), 0)},
		brows, TableOpts{Zebra: true, Totals: []string{app.T("合计", "Total"), area.StringFixed(2), app.FormatAmount(rep), app.FormatAmount(bal)}})
	cols := []Col{{Title: app.T("房号", "Unit")}, rightCol(app.T("面积（m²）", "Area (m²)"), 0), rightCol(app.T("首期交存额", "First deposit"), 0), rightCol(app.T("余额", "Balance"), 0), {Title: app.T("须续交", "Top up"), Width: 18}}
	i := 0
	for i < len(s.Units) {
		b := app.BuildingOf(s.Units[i].Unit)
		var rows [][]string
		var ba, bb decimal.Decimal
		for ; i < len(s.Units) && app.BuildingOf(s.Units[i].Unit) == b; i++ {
			u := s.Units[i]
			top := ""
			if u.Below30 {
				top = app.T("是", "yes")
			}
			rows = append(rows, []string{u.Unit, u.Area.StringFixed(2), app.FormatAmount(u.FirstDeposit), app.FormatAmount(u.Balance), top})
			ba, bb = ba.Add(u.Area), bb.Add(u.Balance)
		}
		d.Table(cols, rows, TableOpts{Zebra: true, Caption: fmt.Sprintf(app.T("%s 号楼", "Building %s"), b),
			Totals: []string{app.T("本楼合计", "Building total"), ba.StringFixed(2), "", app.FormatAmount(bb), ""}})
	}
}

// FundUnitDoc is one unit's page of the sub-ledger (分户账), for an owner who asks:
// every movement of the unit's share of the fund, its balance and whether it must top up.
// It names the unit only.
func FundUnitDoc(community, head, date string, u app.UnitFund) *Doc {
	d := NewDoc(DocMeta{Community: community, HeadHash: head, DocID: "fund-unit-" + u.Unit, Date: date,
		Title: fmt.Sprintf(app.T("专项维修资金分户账：%s", "Maintenance fund sub-ledger: %s"), u.Unit)})
	d.KV([]KV{
		{app.T("房号", "Unit"), u.Unit},
		{app.T("专有部分面积", "Exclusive area"), u.Area.StringFixed(2) + " m²"},
		{app.T("首期交存额", "First deposit"), app.FormatAmount(u.FirstDeposit)},
		{app.T("当前余额", "Balance"), app.FormatAmount(u.Balance) + "（" + app.AmountInWords(u.Balance) + "）"},
	})
	var rows [][]string
	for _, m := range u.Moves {
		rows = append(rows, []string{m.Date, "#" + strconv.FormatInt(m.Seq, 10), app.MoveLabel(m.Kind) + " " + m.Note, app.FormatAmount(m.Amount), app.FormatAmount(m.Balance)})
	}
	if len(rows) == 0 {
		d.Para(app.T("本户尚无维修资金收支。", "No movements yet."))
	} else {
		d.Table([]Col{{Title: app.T("日期", "Date"), Width: 24}, {Title: app.T("凭证", "Entry"), Width: 16}, {Title: app.T("摘要", "Movement")}, rightCol(app.T("金额", "Amount"), 30), rightCol(app.T("余额", "Balance"), 30)},
			rows, TableOpts{Zebra: true})
	}
	if u.Below30 {
		d.Para(fmt.Sprintf(app.T("本户余额低于首期交存额的 30%%（%s），应当续交（《住宅专项维修资金管理办法》第十七条）。", "The balance is below 30%% of the first deposit (%s): the owner must top up (维修资金管理办法 art. 17)."), app.FormatAmount(u.TopUpFloor())))
	}
	d.Note(app.T("利息按计息前各户余额分配；维修费用按专有部分面积在表决范围内分摊，到分为止，尾差按最大余数法分配。", "Interest is shared by each unit's balance before it is credited; repairs by exclusive area within the vote's scope, to the 分, the last 分 by largest remainder."))
	d.Signatures(app.T("业主委员会（盖章）", "Owners' committee (seal)"), app.T("财务委员", "Treasurer"))
	return d
}

// FundTopUpDoc is the notice to top up the maintenance fund (续交通知): the units whose
// balance is below 30 % of their first deposit (《住宅专项维修资金管理办法》 art. 17),
// with what each holds and the least that brings it back to 30 %. It names units only.
func FundTopUpDoc(community, head, date string, units []app.UnitFund) *Doc {
	d := NewDoc(DocMeta{Community: community, HeadHash: head, Public: true, DocID: "fund-topup-" + date, Date: date,
		Title: app.T("专项维修资金续交通知", "Maintenance fund: notice to top up")})
	d.Para(app.T("依据《住宅专项维修资金管理办法》第十七条，业主分户账面住宅专项维修资金余额不足首期交存额 30% 的，应当及时续交。下列房号的分户账余额已低于首期交存额的 30%，请业主及时续交；续交金额和方式以业主大会决定和当地规定为准，下表“至少续交”为回到首期交存额 30% 所需的金额。金额单位：元。",
		"Under art. 17 of the 住宅专项维修资金管理办法, an owner whose sub-ledger balance is below 30% of the first deposit must top up promptly. The units below are below that floor; the amount and the way are as the owners' assembly and local rules decide; 'at least' is what brings each back to 30% of its first deposit. Amounts in yuan."))
	var rows [][]string
	var short decimal.Decimal
	for _, u := range units {
		if !u.Below30 {
			continue
		}
		need := u.TopUpFloor().Sub(u.Balance)
		short = short.Add(need)
		rows = append(rows, []string{u.Unit, u.Area.StringFixed(2), app.FormatAmount(u.FirstDeposit), app.FormatAmount(u.TopUpFloor()), app.FormatAmount(u.Balance), app.FormatAmount(need)})
	}
	if len(rows) == 0 {
		d.Para(app.T("目前没有余额低于首期交存额 30% 的房号。", "No unit is below 30% of its first deposit."))
	} else {
		d.Table([]Col{{Title: app.T("房号", "Unit")}, rightCol(app.T("面积（m²）", "Area (m²)"), 0), rightCol(app.T("首期交存额", "First deposit"), 0), rightCol(app.T("30% 限额", "30% floor"), 0), rightCol(app.T("余额", "Balance"), 0), rightCol(app.T("至少续交", "At least"), 0)},
			rows, TableOpts{Zebra: true, Totals: []string{fmt.Sprintf(app.T("合计 %d 户", "%d units"), len(rows)), "", "", "", "", app.FormatAmount(short)}})
	}
	d.Signatures(app.T("业主委员会（盖章）", "Owners' committee (seal)"))
	return d
}
