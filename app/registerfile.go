package app

import (
	"strconv"
	"strings"
)

// registerColumns maps every accepted header (docs/formats.md "Register file") to its column.
var registerColumns = map[string]string{
	"unit": "unit", "房号": "unit",
	"kind": "kind", "类型": "kind",
	"area": "area", "面积": "area",
	"owner_id": "owner_id", "业主编号": "owner_id",
	"owner_name": "owner_name", "业主姓名": "owner_name",
	"developer_held": "developer_held", "开发商持有": "developer_held",
}

// ParseRegisterRows turns the rows of a register file (the header row first) into units.
// One bad row rejects the whole file: the error names the row as the spreadsheet
// numbers it (the header is row 1) and the reason.
func ParseRegisterRows(rows [][]string) ([]Unit, error) {
	rows = dropBlankRows(rows)
	if len(rows) == 0 {
		return nil, Errorf(EINVALID, "文件是空的：没有表头，也没有房号", "the file is empty: no header row and no units")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		name, ok := registerColumns[normHeader(h)]
		if !ok {
			continue
		}
		if _, dup := col[name]; dup {
			return nil, Errorf(EINVALID, "表头中“%s”列出现了两次", "the header has the column %q twice", strings.TrimSpace(h))
		}
		col[name] = i
	}
	for _, need := range []string{"unit", "kind", "area", "owner_id"} {
		if _, ok := col[need]; !ok {
			return nil, Errorf(EINVALID, "第 1 行表头缺少“%s”列（需要 房号、类型、面积、业主编号）",
				"row 1: the header lacks the column %q (unit, kind, area, owner_id are required)", need)
		}
	}
	if len(rows) == 1 {
		return nil, Errorf(EINVALID, "文件只有表头，没有房号", "the file has a header but no units")
	}
	if len(rows)-1 > MaxUnits {
		return nil, Errorf(EINVALID, "文件有 %d 行房号，超过上限 %d：请检查是否选错了文件；没有导入任何房号", "the file has %d unit rows, more than the limit of %d: check that it is the right file; no unit was imported", len(rows)-1, MaxUnits)
	}
	cell := func(r []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(r) {
			return ""
		}
		return strings.TrimSpace(r[i])
	}
	seen := map[string]int{}
	units := make([]Unit, 0, len(rows)-1)
	for n, r := range rows[1:] {
		rowNo := n + 2
		if isBlankRow(r) {
			continue
		}
		u := Unit{
			ID:        NormalizeUnitID(cell(r, "unit")),
			Kind:      CanonicalKind(cell(r, "kind")),
			OwnerID:   cell(r, "owner_id"),
			OwnerName: cell(r, "owner_name"),
		}
		held, err := parseYesNo(cell(r, "developer_held"))
		if err != nil {
			return nil, rowError(rowNo, err)
		}
		u.DeveloperHeld = held
		if u.ID == "" {
			return nil, rowError(rowNo, Errorf(EINVALID, "房号为空", "the unit id is empty"))
		}
		if first, dup := seen[u.ID]; dup {
			return nil, rowError(rowNo, Errorf(EINVALID, "房号 %s 重复（第 %d 行已有）", "unit %s is a duplicate (already on row %d)", u.ID, first))
		}
		seen[u.ID] = rowNo
		area, err := ParseArea(cell(r, "area"))
		if err != nil {
			return nil, rowError(rowNo, err)
		}
		u.Area = area
		if err := u.Validate(); err != nil {
			return nil, rowError(rowNo, err)
		}
		units = append(units, u)
	}
	return units, nil
}

func rowError(row int, err error) error {
	e, ok := err.(*Error)
	if !ok {
		e = Internal(err)
	}
	return &Error{Code: e.Code, ZH: "第 " + strconv.Itoa(row) + " 行：" + e.ZH, EN: "row " + strconv.Itoa(row) + ": " + e.EN, Err: e.Err}
}

// normHeader lowercases a header and drops a BOM, spaces and a trailing unit such as "(m²)".
func normHeader(h string) string {
	h = strings.TrimPrefix(h, "\ufeff")
	h = strings.TrimSpace(strings.ToLower(h))
	for _, cut := range []string{"（", "("} {
		if i := strings.Index(h, cut); i > 0 {
			h = strings.TrimSpace(h[:i])
		}
	}
	return strings.ReplaceAll(h, " ", "_")
}

// CanonicalKind is the kind as the register and the prices store it: the English code
// for a Chinese name (住宅 → residential), lower case otherwise.
func CanonicalKind(k string) UnitKind {
	k = strings.TrimSpace(k)
	if en, ok := KindNames[k]; ok {
		return en
	}
	return UnitKind(strings.ToLower(k))
}

func parseYesNo(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(fullWidth.Replace(s))) { // １ from a Chinese input method is 1
	case "", "0", "否", "no", "n", "false":
		return false, nil
	case "1", "是", "yes", "y", "true":
		return true, nil
	}
	return false, Errorf(EINVALID, "“开发商持有”应为 1/是 或 0/否，而不是 %q", "developer_held must be 1/yes or 0/no, not %q", s)
}

func isBlankRow(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func dropBlankRows(rows [][]string) [][]string {
	for len(rows) > 0 && isBlankRow(rows[0]) {
		rows = rows[1:]
	}
	return rows
}
