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
			where := x.Building
			if where == "" {
				where = app.T("全体", "all")
			}
			rows = append(rows, []string{x.ID, x.Description, x.Payee, app.FormatAmount(x.Amount), fmt.Sprintf("%s #%d", x.Vote, x.Matter), where, app.ProgressLabel(a.Progress)})
		}
		d.Table([]Col{{Title: app.T("编号", "No."), Width: 20}, {Title: app.T("用途", "Purpose")}, {Title: app.T("收款人", "Payee"), Width: 30},
			{Title: app.T("金额", "Amount"), Width: 26, Align: "R"}, {Title: app.T("表决", "Vote"), Width: 22}, {Title: app.T("楼栋", "Bldg"), Width: 12}, {Title: app.T("进度", "Progress"), Width: 22}}, rows, TableOpts{Zebra: true})
		d.Note(app.T("进度：已申请 → 已表决通过 → 已审批（两位委员联签、社区复核）→ 已支付。", "Progress: applied → vote passed → approved (two signatures, community review) → paid."))
	}
	if len(s.Shares) > 0 {
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
