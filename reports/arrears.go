package reports

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// ArrearsDoc lays out the arrears notice (欠费公示) for the notice board: every unit that
// owes, with the amount, the number of open bills, the oldest month and the owed
// amount by age (0–2, 3–5, 6–11, 12+ months), and the totals. Owners' names are not
// printed on a public notice (个人信息保护法: only what the purpose needs); the unit is
// enough for the owner to recognise it. Late fees appear only where the contract sets
// a rate.
//
// filter, when given, says which units were left out (arrears --min-months,
// --min-amount, --building); the notice states it.
func ArrearsDoc(community, head, date string, rows []app.Arrears, rule app.LateFeeRule, filter ...ArrearsFilter) *Doc {
	d := NewDoc(DocMeta{Community: community, Public: true, Title: "物业服务费欠费公示", Subtitle: "截至 " + date,
		HeadHash: head, DocID: "arrears-" + date, Date: date, Landscape: true})
	cols := []Col{{Title: "房号", Width: 30}, {Title: "欠费金额", Align: "R"}, {Title: "未缴账单（月）", Width: 24, Align: "R"}, {Title: "最早欠费月份", Width: 28}}
	for _, b := range app.AgeBuckets {
		cols = append(cols, Col{Title: "账龄 " + b.Label + " 个月", Align: "R"})
	}
	late := rule.DailyRate.IsPositive()
	if late {
		cols = append(cols, Col{Title: "滞纳金", Align: "R"})
	}
	var total app.Arrears
	total.Owed, total.LateFee = decimal.Zero, decimal.Zero
	var table [][]string
	for _, r := range rows {
		unit := r.Unit
		if r.Developer {
			unit += "（开发商）"
		}
		row := []string{unit, app.FormatAmount(r.Owed), strconv.Itoa(r.Bills), r.Oldest}
		for i, a := range r.Ageing {
			row = append(row, app.FormatAmount(a))
			total.Ageing[i] = total.Ageing[i].Add(a)
		}
		if late {
			row = append(row, app.FormatAmount(r.LateFee))
			total.LateFee = total.LateFee.Add(r.LateFee)
		}
		total.Owed = total.Owed.Add(r.Owed)
		total.Bills += r.Bills
		table = append(table, row)
	}
	totals := []string{"合计 " + strconv.Itoa(len(rows)) + " 户", app.FormatAmount(total.Owed), strconv.Itoa(total.Bills), ""}
	for _, a := range total.Ageing {
		totals = append(totals, app.FormatAmount(a))
	}
	if late {
		totals = append(totals, app.FormatAmount(total.LateFee))
	}
	if len(rows) == 0 {
		// Nothing to list (nothing owed, or nothing as old as --min-months): say so rather
		// than post "the units below owe" over an empty table.
		d.Para("截至 " + date + "，没有需要公示的欠费房号。")
		d.Signatures("业主委员会（盖章）")
		return d
	}
	d.Para("以下房号截至 " + date + " 尚有未缴的物业服务费" + filterText(filter) + "。物业服务费是全体业主共同的资金，用于本小区的物业服务；请相关业主尽快缴纳。如对金额有异议，请携带缴费凭证到业主委员会核对。")
	d.Table(cols, table, TableOpts{Zebra: true, Totals: totals})
	note := "账龄按账单月份距今的整月数计：本月的账单为 0 个月，“账龄 0–2 个月”即本月和前两个月的账单，“12+”为 12 个月及更早的账单；标“（开发商）”的房号由开发商持有，欠费由开发商缴纳。每笔账单 = 面积 × 单价，四舍五入到分，只取整一次；缴款先冲抵最早的未缴账单。为保护个人信息，本公示只列房号。"
	if late {
		note += "滞纳金按物业服务合同约定的日费率 " + rule.DailyRate.String() + " 计算（每月账单在当月结束后宽限 " + strconv.Itoa(rule.GraceDays) + " 天起计）。"
	}
	d.Note(note)
	d.Signatures("业主委员会（盖章）")
	return d
}

// ArrearsFilter is which owing units an arrears notice leaves out.
type ArrearsFilter struct {
	MinMonths int             // only units with a bill at least this many months old
	MinAmount decimal.Decimal // only units owing at least this much
	Building  string
}

// filterText says which units the notice lists: "（只列欠费满 3 个月且金额不低于 ¥50.00 的房号）".
func filterText(fs []ArrearsFilter) string {
	if len(fs) == 0 {
		return ""
	}
	f := fs[0]
	var parts []string
	if f.Building != "" {
		parts = append(parts, f.Building+" 号楼")
	}
	if f.MinMonths > 0 {
		parts = append(parts, "欠费满 "+strconv.Itoa(f.MinMonths)+" 个月")
	}
	if f.MinAmount.IsPositive() {
		parts = append(parts, "欠费金额不低于 "+app.FormatAmount(f.MinAmount))
	}
	if len(parts) == 0 {
		return ""
	}
	return "（本公示只列" + strings.Join(parts, "、") + "的房号）"
}
