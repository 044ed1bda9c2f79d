package app

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// What a matter decides (docs/votes.md "Matter items, funds, caps and scopes"): Civil
// Code art. 278 lists the nine matters the owners decide together, and the item sets the
// threshold. Items (六) raising the maintenance fund, (七) rebuilding or reconstruction and
// (八) changing the use of common parts or running a business with them need 3/4 of the
// participating area AND heads; every other item, (五) *using* the fund included, needs
// more than half of both.

// MatterItems are art. 278's items, 1 to 9, as printed.
var MatterItems = [10]string{
	1: "制定和修改业主大会议事规则",
	2: "制定和修改管理规约",
	3: "选举业主委员会或者更换业主委员会成员",
	4: "选聘和解聘物业服务企业或者其他管理人",
	5: "使用建筑物及其附属设施的维修资金",
	6: "筹集建筑物及其附属设施的维修资金",
	7: "改建、重建建筑物及其附属设施",
	8: "改变共有部分的用途或者利用共有部分从事经营活动",
	9: "有关共有和共同管理权利的其他重大事项",
}

var chineseItems = map[string]int{"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

// ItemNumeral is item n as written in the Code: "（五）".
func ItemNumeral(n int) string {
	for k, v := range chineseItems {
		if v == n {
			return "（" + k + "）"
		}
	}
	return "（" + strconv.Itoa(n) + "）"
}

// ParseMatterItem reads an art. 278 item as written in a matters file: 1–9, 一–九,
// with or without brackets or 第…项. "" is no item (0).
func ParseMatterItem(s string) (int, error) {
	t := strings.TrimSpace(fullWidth.Replace(s))
	if t == "" {
		return 0, nil
	}
	t = strings.TrimPrefix(t, "第")
	t = strings.TrimSuffix(t, "项")
	t = strings.Trim(t, "()（）")
	if n, ok := chineseItems[t]; ok {
		return n, nil
	}
	if n, err := strconv.Atoi(t); err == nil && n >= 1 && n <= 9 {
		return n, nil
	}
	return 0, Errorf(EINVALID, "条款 %q 应为《民法典》第二百七十八条的 1–9 项（或 一–九）", "the item %q must be one of Civil Code art. 278's items 1–9 (or 一–九)", s)
}

// ItemKind is the kind an art. 278 item needs: major (3/4) for items 6–8, ordinary
// (more than half) for the others.
func ItemKind(item int) MatterKind {
	if item >= 6 && item <= 8 {
		return MatterMajor
	}
	return MatterOrdinary
}

// itemWords are the words of a title that point to items 6–8, which need 3/4: a title
// with them cannot be put as an ordinary matter unless the committee confirms the item.
var itemWords = []struct {
	item  int
	words []string // all must appear
}{
	{6, []string{"筹集"}}, {6, []string{"续筹"}}, {6, []string{"补筹"}},
	{7, []string{"改建"}}, {7, []string{"重建"}},
	{8, []string{"改变", "用途"}}, {8, []string{"经营"}}, {8, []string{"出租"}},
}

// TitleItem is the art. 278 item (6, 7 or 8) whose words a title uses, or 0.
func TitleItem(title string) int {
	for _, w := range itemWords {
		all := true
		for _, x := range w.words {
			all = all && strings.Contains(title, x)
		}
		if all {
			return w.item
		}
	}
	return 0
}

// ParseScope reads a matter's scope (列支/分摊范围) as written in a matters file: empty
// for the whole community, else parts separated by ";" (also "；", "," or "、"): a part
// without "-" is a building ("1;2"), a part with one is a unit ("1-1-101;1-1-102").
// Parts are trimmed; repeats are dropped.
func ParseScope(s string) ([]string, error) {
	s = fullWidth.Replace(s)
	var out []string
	seen := map[string]bool{}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '；' || r == ',' || r == '、' }) {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if len([]rune(p)) > 40 || strings.ContainsFunc(p, func(r rune) bool { return r < ' ' }) {
			return nil, Errorf(EINVALID, "范围里的 %q 不是楼栋号或房号", "%q in the scope is neither a building nor a unit", p)
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	if len(out) > 10000 {
		return nil, Errorf(EINVALID, "范围最多列 10000 个楼栋或房号", "a scope lists 10000 buildings or units at most")
	}
	return out, nil
}

// InScope says whether a unit lies in a scope (nil or empty: the whole community).
func InScope(scope []string, unit string) bool {
	if len(scope) == 0 {
		return true
	}
	b := BuildingOf(unit)
	for _, p := range scope {
		if p == unit || (!strings.Contains(p, "-") && p == b) {
			return true
		}
	}
	return false
}

// ScopeLabel is a scope as printed: "全体业主", "1号楼、2号楼" or the units.
func ScopeLabel(scope []string) string {
	if len(scope) == 0 {
		return T("全体业主", "the whole community")
	}
	var bs, us []string
	for _, p := range scope {
		if strings.Contains(p, "-") {
			us = append(us, p)
		} else {
			bs = append(bs, p)
		}
	}
	var parts []string
	if len(bs) > 0 {
		if English() {
			parts = append(parts, "buildings "+strings.Join(bs, ", "))
		} else {
			parts = append(parts, strings.Join(bs, "号楼、")+"号楼")
		}
	}
	if len(us) > 0 {
		parts = append(parts, T("房号 ", "units ")+strings.Join(us, "、"))
	}
	return strings.Join(parts, T("；", "; "))
}

// ScopeUnits are the units of a register that lie in a scope, and the parts of the
// scope that name nothing in it.
func ScopeUnits(scope []string, units []Unit) (in []Unit, unknown []string) {
	hit := map[string]bool{}
	for _, u := range units {
		if !InScope(scope, u.ID) {
			continue
		}
		in = append(in, u)
		hit[u.ID], hit[BuildingOf(u.ID)] = true, true
	}
	for _, p := range scope {
		if !hit[p] {
			unknown = append(unknown, p)
		}
	}
	return in, unknown
}

// checkCap checks a matter's cap: none (zero), or more than 0 with at most 2 decimals.
func checkCap(no int, c decimal.Decimal) error {
	if c.IsZero() {
		return nil
	}
	if c.IsNegative() || !c.Equal(c.Round(2)) {
		return Errorf(EINVALID, "事项 %d 的限额应为大于 0、最多两位小数的金额", "matter %d: the cap must be an amount above 0 with at most 2 decimals", no)
	}
	return CheckAmount("限额", "cap", c)
}

// FundHeld is what a fund holds: its bank and cash accounts together, from a list of
// balances (LedgerService.Balances).
func FundHeld(f Fund, bals []AccountBalance) decimal.Decimal {
	var held decimal.Decimal
	for _, b := range bals {
		if b.Account == BankAccount(f) || b.Account == CashAccount(f) {
			held = held.Add(b.Balance)
		}
	}
	return held
}
