package app

import (
	"strconv"
	"strings"
)

// matterColumns maps the accepted headers of a matters file (docs/formats.md "Assembly
// matters file") to its columns.
var matterColumns = map[string]string{
	"no": "no", "序号": "no", "编号": "no",
	"title": "title", "事项": "title", "标题": "title",
	"kind": "kind", "类型": "kind",
	"item": "item", "条款": "item",
	"fund": "fund", "资金": "fund",
	"cap": "cap", "限额": "cap",
	"scope": "scope", "范围": "scope",
}

var matterKinds = map[string]MatterKind{
	"ordinary": MatterOrdinary, "一般": MatterOrdinary, "一般事项": MatterOrdinary,
	"major": MatterMajor, "重大": MatterMajor, "重大事项": MatterMajor,
}

// ParseMatterRows reads a matters file (`no,title,kind` or `序号,事项,类型`, optionally
// `item,fund,cap,scope` / `条款,资金,限额,范围`; the header row first) into matters sorted
// by number. An item sets the kind (a kind that disagrees is refused); a cap needs a
// fund and is more than 0. One bad row rejects the file with its row number (the header
// is row 1) and the reason.
func ParseMatterRows(rows [][]string) ([]Matter, error) {
	rows = dropBlankRows(rows)
	if len(rows) == 0 {
		return nil, Errorf(EINVALID, "事项文件是空的", "the matters file is empty")
	}
	if len(rows)-1 > 99 {
		return nil, Errorf(EINVALID, "事项文件有 %d 行，最多 99 个事项；没有创建大会", "the matters file has %d rows; an assembly has 99 matters at most; no assembly was created", len(rows)-1)
	}
	col, err := headerColumns(rows[0], func(h string) (string, bool) {
		name, ok := matterColumns[h]
		return name, ok
	})
	if err != nil {
		return nil, err
	}
	for _, need := range []string{"no", "title", "kind"} {
		if _, ok := col[need]; !ok {
			return nil, Errorf(EINVALID, "第 1 行表头缺少“%s”列（需要 序号、事项、类型）", "row 1: the header lacks the column %q (no, title, kind are required)", need)
		}
	}
	var out []Matter
	seen := map[int]int{}
	for n, r := range rows[1:] {
		rowNo := n + 2
		if isBlankRow(r) {
			continue
		}
		cell := func(name string) string {
			if i, ok := col[name]; ok {
				return cellAt(r, i)
			}
			return ""
		}
		no, err := strconv.Atoi(fullWidth.Replace(cell("no")))
		if err != nil {
			return nil, rowError(rowNo, Errorf(EINVALID, "序号 %q 不是整数", "the number %q is not a whole number", cell("no")))
		}
		item, err := ParseMatterItem(cell("item"))
		if err != nil {
			return nil, rowError(rowNo, err)
		}
		kind, ok := matterKinds[strings.ToLower(cell("kind"))]
		switch {
		case !ok && cell("kind") == "" && item != 0:
			kind = ItemKind(item)
		case !ok:
			return nil, rowError(rowNo, Errorf(EINVALID, "类型应为 一般/ordinary 或 重大/major，而不是 %q", "the kind must be ordinary/一般 or major/重大, not %q", cell("kind")))
		}
		m := Matter{No: no, Title: cell("title"), Kind: kind, Item: item}
		if f := cell("fund"); f != "" {
			if m.Fund, err = ParseFund(f); err != nil {
				return nil, rowError(rowNo, err)
			}
		}
		if c := cell("cap"); c != "" {
			if m.Cap, err = ParseAmount(c); err != nil {
				return nil, rowError(rowNo, err)
			}
			if !m.Cap.IsPositive() {
				return nil, rowError(rowNo, Errorf(EINVALID, "事项 %d 的限额 %s 应大于 0（不设限额请留空）", "matter %d: the cap %s must be more than 0 (leave it empty for none)", no, c))
			}
		}
		if m.Scope, err = ParseScope(cell("scope")); err != nil {
			return nil, rowError(rowNo, err)
		}
		if err := m.Validate(); err != nil {
			return nil, rowError(rowNo, err)
		}
		if err := m.CheckItem(); err != nil {
			return nil, rowError(rowNo, err)
		}
		if first, dup := seen[no]; dup {
			return nil, rowError(rowNo, Errorf(EINVALID, "事项序号 %d 重复（第 %d 行已有）", "matter number %d is a duplicate (already on row %d)", no, first))
		}
		seen[no] = rowNo
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, Errorf(EINVALID, "事项文件只有表头，没有事项", "the matters file has a header but no matters")
	}
	SortMatters(out)
	return out, nil
}

// ParseBallotRows reads a ballot transcription file (docs/formats.md "Ballot transcription
// file": `ballot_no,unit,m1,m2,...,invalid_reason,proxy` or `票号,房号,事项1,...,
// 无效原因,代理人`; the header row first) for an assembly with the given matters. Every
// matter of the assembly needs its column; a column for a matter the assembly does not
// have, a choice other than agree/oppose/abstain (同意/反对/弃权, empty = not answered,
// double/多选 = marked twice), an empty ballot number or a ballot number twice in the
// file rejects the whole file with the row number and the reason. A unit missing from
// the register is not an error here: the tally reports that ballot as invalid.
func ParseBallotRows(rows [][]string, matters []Matter) ([]Ballot, error) {
	rows = dropBlankRows(rows)
	if len(rows) == 0 {
		return nil, Errorf(EINVALID, "选票文件是空的", "the ballot file is empty")
	}
	if len(rows)-1 > MaxUnits {
		return nil, Errorf(EINVALID, "选票文件有 %d 行，超过上限 %d：请检查是否选错了文件；没有录入任何选票", "the ballot file has %d rows, more than the limit of %d: check that it is the right file; no ballot was entered", len(rows)-1, MaxUnits)
	}
	cols, err := readBallotHeader(rows[0], matters)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	out := make([]Ballot, 0, len(rows)-1)
	for n, r := range rows[1:] {
		rowNo := n + 2
		if isBlankRow(r) {
			continue
		}
		b, err := cols.ballot(r, rowNo, matters, seen)
		if err != nil {
			return nil, rowError(rowNo, err)
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, Errorf(EINVALID, "选票文件只有表头，没有选票", "the ballot file has a header but no ballots")
	}
	return out, nil
}

// ballotColumns are where a ballot file's fields are: the named columns, and the
// column of each matter of the assembly, in the assembly's order.
type ballotColumns struct {
	col       map[string]int
	matterCol []int
}

// readBallotHeader reads a ballot file's header row: every header must be known, every
// matter column must be one of the assembly's matters, and ballot_no, unit and each
// matter of the assembly need their column.
func readBallotHeader(header []string, matters []Matter) (ballotColumns, error) {
	index := map[int]int{} // matter no → position in matters
	for i, m := range matters {
		index[m.No] = i
	}
	matterCol := make([]int, len(matters))
	for i := range matterCol {
		matterCol[i] = -1
	}
	col, err := headerColumns(header, func(h string) (string, bool) {
		switch h {
		case "ballot_no", "票号", "选票编号", "编号":
			return "ballot_no", true
		case "unit", "房号":
			return "unit", true
		case "invalid_reason", "无效原因":
			return "invalid_reason", true
		case "proxy", "代理人":
			return "proxy", true
		}
		if no, ok := matterHeader(h); ok {
			return "m" + strconv.Itoa(no), true
		}
		return "", false
	})
	if err != nil {
		return ballotColumns{}, err
	}
	for name, c := range col {
		if !strings.HasPrefix(name, "m") {
			continue
		}
		no, _ := strconv.Atoi(name[1:])
		i, ok := index[no]
		if !ok {
			return ballotColumns{}, Errorf(EINVALID, "第 1 行：表头有“%s”列，但本次大会没有事项 %d（共 %d 个事项）", "row 1: the header has the column %q but the assembly has no matter %d (it has %d)",
				strings.TrimSpace(header[c]), no, len(matters))
		}
		matterCol[i] = c
	}
	for _, need := range []string{"ballot_no", "unit"} {
		if _, ok := col[need]; !ok {
			return ballotColumns{}, Errorf(EINVALID, "第 1 行表头缺少“%s”列（需要 票号、房号 和每个事项一列）", "row 1: the header lacks the column %q (ballot_no, unit and one column per matter are required)", need)
		}
	}
	for i, c := range matterCol {
		if c < 0 {
			return ballotColumns{}, Errorf(EINVALID, "第 1 行表头缺少事项 %d 的列（事项%d 或 m%d）", "row 1: the header lacks the column of matter %d (m%d or 事项%d)", matters[i].No, matters[i].No, matters[i].No)
		}
	}
	return ballotColumns{col: col, matterCol: matterCol}, nil
}

// ballot reads the ballot on row rowNo: its number (not empty, not already in seen, to
// which it is added), unit, invalid reason, proxy and one choice per matter. The error
// is the row's reason, without the row number.
func (cs ballotColumns) ballot(r []string, rowNo int, matters []Matter, seen map[string]int) (Ballot, error) {
	b := Ballot{
		No:      NormalizeBallotNo(cellAt(r, cs.col["ballot_no"])),
		Unit:    NormalizeUnitID(cellAt(r, cs.col["unit"])),
		Choices: make([]Choice, len(matters)),
		Row:     rowNo,
	}
	if c, ok := cs.col["invalid_reason"]; ok {
		b.Invalid = NormalizeReason(cellAt(r, c))
	}
	if c, ok := cs.col["proxy"]; ok {
		b.Proxy = strings.TrimSpace(cellAt(r, c))
	}
	if b.No == "" {
		return Ballot{}, Errorf(EINVALID, "票号为空", "the ballot number is empty")
	}
	if len([]rune(b.No)) > 40 || len([]rune(b.Unit)) > 60 || len([]rune(b.Invalid)) > 200 || len([]rune(b.Proxy)) > 100 {
		return Ballot{}, Errorf(EINVALID, "内容太长", "a cell is too long")
	}
	if first, dup := seen[b.No]; dup {
		return Ballot{}, Errorf(EINVALID, "票号 %s 重复（第 %d 行已有）", "ballot number %s is a duplicate (already on row %d)", b.No, first)
	}
	seen[b.No] = rowNo
	for i, c := range cs.matterCol {
		raw := cellAt(r, c)
		ch, ok := ParseChoice(raw)
		if !ok {
			return Ballot{}, Errorf(EINVALID, "事项%d 的选项应为 同意/反对/弃权（agree/oppose/abstain）或留空，而不是 %q",
				"matter %d: the choice must be agree/oppose/abstain (同意/反对/弃权) or empty, not %q", matters[i].No, strings.TrimSpace(raw))
		}
		b.Choices[i] = ch
	}
	if err := b.Validate(len(matters)); err != nil {
		return Ballot{}, err
	}
	return b, nil
}

// matterHeader recognises a matter column: m1, M1, matter1, matter_1, 事项1, 事项 1, 第1项.
func matterHeader(h string) (int, bool) {
	h = fullWidth.Replace(h)
	h = strings.ReplaceAll(h, "_", "")
	for _, p := range []string{"matter", "m", "事项", "第"} {
		if rest, ok := strings.CutPrefix(h, p); ok {
			rest = strings.TrimSuffix(rest, "项")
			if n, ok := atoi(rest); ok && rest != "" {
				return n, true
			}
		}
	}
	return 0, false
}

// headerColumns maps the recognised columns of a header row; a column named twice is an error.
func headerColumns(header []string, name func(string) (string, bool)) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		n, ok := name(normHeader(h))
		if !ok {
			continue
		}
		if _, dup := col[n]; dup {
			return nil, Errorf(EINVALID, "第 1 行：表头中“%s”列出现了两次", "row 1: the header has the column %q twice", strings.TrimSpace(h))
		}
		col[n] = i
	}
	return col, nil
}

func cellAt(r []string, i int) string {
	if i < 0 || i >= len(r) {
		return ""
	}
	return strings.TrimSpace(r[i])
}
