package app

import (
	"context"
	"sort"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"
)

// UnitKind is what a unit is (住宅, 商业, 车位…), as the register file writes it in
// English; fee prices are per kind.
type UnitKind string

// Unit kinds as written in the register file. A community may use others; these are
// the ones the fee and vote rules know by name.
const (
	KindResidential UnitKind = "residential" // 住宅
	KindCommercial  UnitKind = "commercial"  // 商业
	KindParking     UnitKind = "parking"     // 车位
)

// KindNames maps Chinese kind names in register files to the canonical English ones.
var KindNames = map[string]UnitKind{
	"住宅": KindResidential, "商业": KindCommercial, "商铺": KindCommercial,
	"车位": KindParking, "车库": KindParking, "办公": "office", "储藏室": "storage",
}

// KindLabel is the Chinese (or English) label of a kind for screens and notices.
func KindLabel(kind UnitKind) string {
	for zh, en := range KindNames {
		if en == kind && (zh == "住宅" || zh == "商业" || zh == "车位" || zh == "办公" || zh == "储藏室") {
			return T(zh, string(en))
		}
	}
	return string(kind)
}

// DeveloperPerson is the headcount key shared by every unit the developer still holds.
const DeveloperPerson = "developer"

// Unit is a 房号 in the register: an exclusive part (专有部分) of the community with its
// area from the property register and its owner. Co-owners of one unit share one
// OwnerID (they are one person for headcount); one owner of several units has the same
// OwnerID on each.
type Unit struct {
	ID            string          `json:"unit"`
	Kind          UnitKind        `json:"kind"`
	Area          decimal.Decimal `json:"area"`
	OwnerID       string          `json:"owner_id"`
	OwnerName     string          `json:"owner_name"`
	DeveloperHeld bool            `json:"developer_held"`
}

// Validate checks a unit as read from a register file or typed in a form.
func (u Unit) Validate() error {
	switch {
	case strings.TrimSpace(u.ID) == "":
		return Errorf(EINVALID, "房号不能为空", "unit id is empty")
	case strings.TrimSpace(string(u.Kind)) == "":
		return Errorf(EINVALID, "房号 %s 缺少类型", "unit %s has no kind", u.ID)
	case !u.Area.IsPositive():
		return Errorf(EINVALID, "房号 %s 的面积必须大于 0", "unit %s: area must be greater than 0", u.ID)
	case u.Area.Exponent() < -2 && !u.Area.Equal(u.Area.Round(2)):
		return Errorf(EINVALID, "房号 %s 的面积最多两位小数", "unit %s: area has more than 2 decimals", u.ID)
	case !u.DeveloperHeld && strings.TrimSpace(u.OwnerID) == "":
		return Errorf(EINVALID, "房号 %s 缺少业主编号", "unit %s has no owner id", u.ID)
	case u.Area.GreaterThan(MaxUnitArea):
		return Errorf(EINVALID, "房号 %s 的面积 %s m² 超过上限 %s m²，请检查", "unit %s: the area %s m² is above the limit of %s m²; check it", u.ID, u.Area.String(), MaxUnitArea.String())
	}
	for _, f := range []struct {
		zh, en, s string
		max       int
	}{{"房号", "unit id", u.ID, MaxNameRunes}, {"类型", "kind", string(u.Kind), MaxNameRunes}, {"业主编号", "owner id", u.OwnerID, MaxNameRunes}, {"业主姓名", "owner name", u.OwnerName, MaxTextRunes}} {
		if err := CheckText(f.zh, f.en, f.s, f.max); err != nil {
			return err
		}
		// Unit ids, kinds and owners are printed on one line of receipts, notices,
		// tables and journal descriptions: a line break or tab (a spreadsheet cell
		// with Alt+Enter) would split them.
		if strings.ContainsFunc(f.s, unicode.IsControl) {
			return Errorf(EINVALID, "%[1]s %[3]q 含有换行符或制表符，请删掉后再导入；没有导入任何房号",
				"the %[2]s %[3]q contains a line break or tab; remove it and import again; no unit was imported", f.zh, f.en, f.s)
		}
	}
	return nil
}

// Person is the headcount key of the unit's owner under the SPC interpretation on
// 建筑物区分所有权 art. 9: one owner of several units is one person, co-owners of a
// unit are one person, and all units the developer still holds are together one person.
func (u Unit) Person() string {
	if u.DeveloperHeld {
		return DeveloperPerson
	}
	return "owner:" + u.OwnerID
}

// Totals are what the register adds up to for votes and notices.
type Totals struct {
	Units     int
	Area      decimal.Decimal
	Headcount int
}

// RegisterTotals adds up area and the legal headcount of units. Parking spaces count
// toward area and headcount only if countParking is set (the community's 议事规则
// decides); they are always counted as units.
func RegisterTotals(units []Unit, countParking bool) Totals {
	t := Totals{Area: decimal.Zero}
	persons := make(map[string]struct{})
	for _, u := range units {
		t.Units++
		if u.Kind == KindParking && !countParking {
			continue
		}
		t.Area = t.Area.Add(u.Area)
		persons[u.Person()] = struct{}{}
	}
	t.Headcount = len(persons)
	return t
}

// SortUnits orders unit ids the way people read them: 2-1-101 before 10-1-101, and
// 3-2-901 before 3-2-1501 (numeric parts compare as numbers).
func SortUnits(units []Unit) {
	sort.SliceStable(units, func(i, j int) bool { return UnitLess(units[i].ID, units[j].ID) })
}

// UnitLess compares unit ids part by part, numerically where both parts are numbers.
func UnitLess(a, b string) bool {
	pa, pb := strings.FieldsFunc(a, isSep), strings.FieldsFunc(b, isSep)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] == pb[i] {
			continue
		}
		na, oka := atoi(pa[i])
		nb, okb := atoi(pb[i])
		if oka && okb && na != nb {
			return na < nb
		}
		return pa[i] < pb[i]
	}
	if len(pa) != len(pb) {
		return len(pa) < len(pb)
	}
	return a < b
}

func isSep(r rune) bool { return r == '-' || r == '/' || r == ' ' }

func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}

// RegisterService keeps the register of units and owners.
type RegisterService interface {
	// ImportUnits adds the units, or replaces those with the same id, all or nothing.
	// Returns EINVALID for a bad unit or a duplicate id within units.
	ImportUnits(ctx context.Context, units []Unit, who, why string) error
	// Units returns the whole register in reading order.
	Units(ctx context.Context) ([]Unit, error)
	// Unit returns one unit, ENOTFOUND if there is none with that id.
	Unit(ctx context.Context, id string) (Unit, error)
}
