package app

import "github.com/shopspring/decimal"

// openingColumns maps the headers of a sub-ledger opening file (docs/formats.md
// "Maintenance fund sub-ledger") to its columns.
var openingColumns = map[string]string{
	"unit": "unit", "房号": "unit",
	"amount": "amount", "金额": "amount", "余额": "amount", "期初余额": "amount",
	"first_deposit": "first", "首期交存额": "first", "首期交存": "first",
}

// ParseOpeningRows reads an opening file of the maintenance fund's sub-ledger: CSV
// `unit,amount[,first_deposit]` (`房号,金额[,首期交存额]`), header row first (a file
// whose first row is already a unit and an amount is read by position). Amounts are 0 or
// more with at most 2 decimals; the first deposit defaults to the amount. One bad row
// rejects the file with its row number and the reason.
func ParseOpeningRows(rows [][]string) ([]OpeningLine, error) {
	rows = dropBlankRows(rows)
	if len(rows) == 0 {
		return nil, Errorf(EINVALID, "期初余额文件是空的", "the opening file is empty")
	}
	col, err := headerColumns(rows[0], func(h string) (string, bool) {
		name, ok := openingColumns[h]
		return name, ok
	})
	if err != nil {
		return nil, err
	}
	body, first := rows[1:], 2
	if len(col) == 0 {
		if _, err := ParseAmount(cellAt(rows[0], 1)); err == nil && cellAt(rows[0], 0) != "" {
			col, body, first = map[string]int{"unit": 0, "amount": 1, "first": 2}, rows, 1
		}
	}
	for _, need := range []string{"unit", "amount"} {
		if _, ok := col[need]; !ok {
			return nil, Errorf(EINVALID, "第 1 行表头缺少“%s”列（需要 房号、金额，可选 首期交存额）", "row 1: the header lacks the column %q (unit and amount are required, first_deposit optional)", need)
		}
	}
	var out []OpeningLine
	seen := map[string]int{}
	for n, r := range body {
		rowNo := n + first
		if isBlankRow(r) {
			continue
		}
		cell := func(name string) string {
			if i, ok := col[name]; ok {
				return cellAt(r, i)
			}
			return ""
		}
		l := OpeningLine{Unit: NormalizeUnitID(cell("unit"))}
		if l.Unit == "" {
			return nil, rowError(rowNo, Errorf(EINVALID, "缺少房号", "the unit is missing"))
		}
		if err := CheckText("房号", "unit", l.Unit, 40); err != nil {
			return nil, rowError(rowNo, err)
		}
		if prev, dup := seen[l.Unit]; dup {
			return nil, rowError(rowNo, Errorf(EINVALID, "房号 %s 重复（第 %d 行已有）", "unit %s is a duplicate (already on row %d)", l.Unit, prev))
		}
		seen[l.Unit] = rowNo
		if l.Amount, err = openingAmount(cell("amount")); err != nil {
			return nil, rowError(rowNo, err)
		}
		l.FirstDeposit = l.Amount
		if f := cell("first"); f != "" {
			if l.FirstDeposit, err = openingAmount(f); err != nil {
				return nil, rowError(rowNo, err)
			}
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, Errorf(EINVALID, "期初余额文件只有表头，没有房号", "the opening file has a header but no units")
	}
	return out, nil
}

func openingAmount(s string) (d decimal.Decimal, err error) {
	if d, err = ParseAmount(s); err != nil {
		return d, err
	}
	if d.IsNegative() {
		return d, Errorf(EINVALID, "金额 %s 不能为负", "the amount %s cannot be negative", s)
	}
	if !d.Equal(d.Round(2)) {
		return d, Errorf(EINVALID, "金额 %s 最多两位小数", "amount %s has more than 2 decimals", s)
	}
	return d, CheckAmount("期初余额", "opening balance", d)
}
