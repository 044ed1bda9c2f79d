package app

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Matter kinds (Civil Code art. 278). A major matter (重大事项: raising the maintenance
// fund; rebuilding or reconstruction; changing the use of common parts or running a
// business with them) needs 3/4 of participating area AND heads; an ordinary one (一般
// 事项: everything else, incl. *using* the maintenance fund) needs more than half.
type MatterKind string

const (
	MatterOrdinary MatterKind = "ordinary"
	MatterMajor    MatterKind = "major"
)

// Matter is one question put to the owners' assembly, numbered as on the paper ballot.
// Item is its Civil Code art. 278 item (1–9, 0 when the matters file gave none), which
// sets Kind. A spending matter names the Fund it spends from, its Cap (the most that may
// be paid against it; zero: none) and its Scope (the buildings or units that share the
// cost and vote on it; empty: the whole community). See docs/votes.md.
type Matter struct {
	No    int             `json:"no"`
	Title string          `json:"title"`
	Kind  MatterKind      `json:"kind"`
	Item  int             `json:"item,omitempty"`
	Fund  Fund            `json:"fund,omitempty"`
	Cap   decimal.Decimal `json:"cap,omitzero"`
	Scope []string        `json:"scope,omitempty"`
}

// Validate checks a matter as read from a matters file or typed in a form.
func (m Matter) Validate() error {
	switch {
	case m.No <= 0 || m.No > 99:
		return Errorf(EINVALID, "事项序号应在 1 到 99 之间，而不是 %d", "a matter number must be between 1 and 99, not %d", m.No)
	case strings.TrimSpace(m.Title) == "":
		return Errorf(EINVALID, "事项 %d 没有标题", "matter %d has no title", m.No)
	case len([]rune(m.Title)) > 200:
		return Errorf(EINVALID, "事项 %d 的标题太长（最多 200 字）", "matter %d: the title is too long (200 characters at most)", m.No)
	case m.Kind != MatterOrdinary && m.Kind != MatterMajor:
		return Errorf(EINVALID, "事项 %d 的类型应为 一般(ordinary) 或 重大(major)，而不是 %q", "matter %d: the kind must be ordinary (一般) or major (重大), not %q", m.No, m.Kind)
	case m.Item < 0 || m.Item > 9:
		return Errorf(EINVALID, "事项 %d 的条款应为《民法典》第二百七十八条的 1–9 项", "matter %d: the item must be one of Civil Code art. 278's items 1–9", m.No)
	case m.Item != 0 && ItemKind(m.Item) != m.Kind:
		return Errorf(EINVALID, "事项 %d 属于《民法典》第二百七十八条第一款第%s项，应为%s，而不是%s", "matter %d is Civil Code art. 278 item %s and must be %s, not %s",
			m.No, ItemNumeral(m.Item), Matter{Kind: ItemKind(m.Item)}.KindLabel(), m.KindLabel())
	}
	if m.Fund != "" {
		if _, err := ParseFund(string(m.Fund)); err != nil {
			return err
		}
	}
	if err := checkCap(m.No, m.Cap); err != nil {
		return err
	}
	if !m.Cap.IsZero() && m.Fund == "" {
		return Errorf(EINVALID, "事项 %d 有限额，但没有写明从哪个资金支付（资金列：service、public 或 maintenance）", "matter %d has a cap but no fund (the fund column: service, public or maintenance)", m.No)
	}
	return nil
}

// CheckItem refuses a new matter without a confirmed item whose title points to art. 278
// items (六)–(八) (TitleItem) while its kind is ordinary: those need 3/4. Assemblies
// recorded before items existed are not checked again.
func (m Matter) CheckItem() error {
	if it := TitleItem(m.Title); m.Item == 0 && m.Kind == MatterOrdinary && it != 0 {
		return Errorf(EINVALID, "事项 %d “%s”看来属于《民法典》第二百七十八条第一款第%s项（%s），须经参与表决面积和人数四分之三以上同意，不能作为一般事项：请将类型改为 重大，或在“条款”列写明业委会确认的条款",
			"matter %d %q looks like Civil Code art. 278 item %s (%s), which needs 3/4 of participating area and heads, not an ordinary matter: make its kind major, or give the item the committee confirms in the item column",
			m.No, m.Title, ItemNumeral(it), MatterItems[it])
	}
	return nil
}

// ItemLabel is the matter's art. 278 item as printed, or "" when it has none.
func (m Matter) ItemLabel() string {
	if m.Item == 0 {
		return ""
	}
	return T("《民法典》第二百七十八条第一款第"+ItemNumeral(m.Item)+"项：", "Civil Code art. 278 item "+ItemNumeral(m.Item)+": ") + MatterItems[m.Item]
}

// KindLabel is the matter's kind as printed.
func (m Matter) KindLabel() string {
	if m.Kind == MatterMajor {
		return T("重大事项", "major")
	}
	return T("一般事项", "ordinary")
}

// Categories of units that did answer but have no counted ballot. By default the
// deemed-vote rule never deems them (only a unit that returned no ballot at all is
// deemed); a community whose rules say otherwise lists them in Assembly.DeemAlso.
const (
	DeemInvalid   = "invalid"   // every paper returned for the unit is wholly invalid
	DeemPending   = "pending"   // a paper for the unit awaits the third look (A and B differ)
	DeemDuplicate = "duplicate" // the unit's ballots are held back as duplicates
)

// DeemCategories are the DeemAlso codes in the order they are printed.
var DeemCategories = []string{DeemInvalid, DeemPending, DeemDuplicate}

// DeemCategoryLabel is a DeemAlso code as printed.
func DeemCategoryLabel(code string) string {
	switch code {
	case DeemInvalid:
		return T("交回无效票", "returned an invalid ballot")
	case DeemPending:
		return T("选票待核对原票", "ballot awaiting the third look")
	case DeemDuplicate:
		return T("重复票暂不计入", "ballots held back as duplicates")
	}
	return code
}

// Assembly is an owners' assembly (业主大会) voting on paper ballots: its matters, the
// register frozen when it was created (later register edits must not change its tally),
// and whether the community's rules use the deemed-vote clause (送达即参与 / 未投票视为
// 同意多数) with that clause's exact wording. One ballot is issued to each voting unit
// of the frozen register (every unit, minus parking spaces unless CountParking).
type Assembly struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Date    string    `json:"date"` // YYYY-MM-DD of the meeting or of the end of voting
	Matters []Matter  `json:"matters"`
	Deemed  bool      `json:"deemed"`
	Rule    string    `json:"rule,omitempty"` // the rules' wording of the deemed-vote clause
	Created time.Time `json:"created"`
	// DeemAlso lists the categories of answering units (DeemInvalid, DeemPending,
	// DeemDuplicate) that the community's rules deem all the same. Empty (the default
	// reading): only delivered units that returned no ballot at all are deemed.
	DeemAlso []string `json:"deem_also,omitempty"`
	// VotingFrom and VotingTo are the voting period (YYYY-MM-DD) if recorded.
	VotingFrom string `json:"voting_from,omitempty"`
	VotingTo   string `json:"voting_to,omitempty"`
	// CountParking is the community's setting when the assembly was created, frozen with
	// the register.
	CountParking bool `json:"count_parking"`
	// Units and Area of the frozen register, for lists; the register itself is stored apart.
	Units int `json:"units"`
}

// Deems says whether the assembly's deemed-vote reading deems a delivered unit of the
// given answering category (DeemInvalid, DeemPending or DeemDuplicate).
func (a Assembly) Deems(category string) bool {
	if !a.Deemed {
		return false
	}
	for _, c := range a.DeemAlso {
		if c == category {
			return true
		}
	}
	return false
}

// NormalizeDeemAlso sorts the DeemAlso codes into their printing order and drops repeats.
func NormalizeDeemAlso(cs []string) []string {
	var out []string
	for _, k := range DeemCategories {
		for _, c := range cs {
			if strings.TrimSpace(c) == k {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// Validate checks an assembly before it is created.
func (a Assembly) Validate() error {
	if strings.TrimSpace(a.Title) == "" {
		return Errorf(EINVALID, "大会需要一个标题", "the assembly needs a title")
	}
	if len([]rune(a.Title)) > 200 {
		return Errorf(EINVALID, "大会标题太长（最多 200 字）", "the assembly title is too long (200 characters at most)")
	}
	if a.Date != "" {
		if _, err := time.Parse(DateLayout, a.Date); err != nil {
			return Errorf(EINVALID, "日期 %q 应写成 YYYY-MM-DD", "the date %q must be YYYY-MM-DD", a.Date)
		}
	}
	if len(a.Matters) == 0 {
		return Errorf(EINVALID, "大会至少要有一个表决事项", "the assembly needs at least one matter")
	}
	seen := map[int]bool{}
	for _, m := range a.Matters {
		if err := m.Validate(); err != nil {
			return err
		}
		if seen[m.No] {
			return Errorf(EINVALID, "事项序号 %d 重复", "matter number %d appears twice", m.No)
		}
		seen[m.No] = true
	}
	for _, c := range a.DeemAlso {
		known := false
		for _, k := range DeemCategories {
			known = known || c == k
		}
		if !known {
			return Errorf(EINVALID, "视为表决的范围只能是 invalid、pending 或 duplicate，而不是 %q", "the deemed-vote scope can only be invalid, pending or duplicate, not %q", c)
		}
	}
	if len(a.DeemAlso) > 0 && !a.Deemed {
		return Errorf(EINVALID, "只有适用视为表决条款的大会才能设定视为表决的范围", "a deemed-vote scope needs the deemed-vote rule (--deemed)")
	}
	if (a.VotingFrom == "") != (a.VotingTo == "") {
		return Errorf(EINVALID, "投票期需要同时写明起止日期", "the voting period needs both its first and its last day")
	}
	if a.VotingFrom != "" {
		from, err1 := time.Parse(DateLayout, a.VotingFrom)
		to, err2 := time.Parse(DateLayout, a.VotingTo)
		if err1 != nil || err2 != nil {
			return Errorf(EINVALID, "投票期 %s 至 %s 的日期应写成 YYYY-MM-DD", "the voting period %s to %s must be written YYYY-MM-DD", a.VotingFrom, a.VotingTo)
		}
		if to.Before(from) {
			return Errorf(EINVALID, "投票期的结束日期 %s 早于开始日期 %s", "the voting period ends (%s) before it starts (%s)", a.VotingTo, a.VotingFrom)
		}
	}
	if a.Deemed && strings.TrimSpace(a.Rule) == "" {
		return Errorf(EINVALID, "适用视为表决条款须照录本小区议事规则中该条款的原文（--rule，或先用 settings --deemed-rule 登记）；没有创建或更改大会",
			"the deemed-vote clause needs the wording of the community's own rules, verbatim (--rule, or record it once with settings --deemed-rule); no assembly was created or changed")
	}
	if len([]rune(a.Rule)) > 2000 {
		return Errorf(EINVALID, "规则原文太长（最多 2000 字）", "the rule's wording is too long (2000 characters at most)")
	}
	return nil
}

// SortMatters puts matters in the order of their numbers; ballots keep their choices in
// this order.
func SortMatters(ms []Matter) {
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].No < ms[j].No })
}

// MatterIndex is the position of matter no in a.Matters, or -1.
func (a Assembly) MatterIndex(no int) int {
	for i, m := range a.Matters {
		if m.No == no {
			return i
		}
	}
	return -1
}

// VotingUnit says whether a unit of the register takes part in votes under the
// community's rules: parking spaces only if the rules count them.
func VotingUnit(u Unit, countParking bool) bool {
	return countParking || u.Kind != KindParking
}

// Entry names one of the two independent transcriptions of the paper ballots.
const (
	EntryA = "A"
	EntryB = "B"
)

// Resolution records the third look at a paper ballot (核对原票) when entries A and B
// differ, or when the committee decides a flagged ballot (e.g. withdraws one of two
// ballots for a unit): Ballot is what the paper says, and it replaces both entries.
type Resolution struct {
	Ballot Ballot    `json:"ballot"`
	Note   string    `json:"note,omitempty"`
	Who    string    `json:"who"`
	At     time.Time `json:"at"`
}

// Delivery is the evidence that a unit's ballot was delivered (送达), which the deemed
// vote rule requires: when, how (in person, mail, notice board, messaging...) and what
// proves it (a signed receipt, a tracking number, a photo).
type Delivery struct {
	Unit     string    `json:"unit"`
	Date     string    `json:"date"`
	Method   string    `json:"method"`
	Evidence string    `json:"evidence"`
	Who      string    `json:"who,omitempty"`
	At       time.Time `json:"at"`
}

// Validate checks a delivery record.
func (d Delivery) Validate() error {
	if strings.TrimSpace(d.Unit) == "" {
		return Errorf(EINVALID, "送达记录缺少房号", "the delivery record has no unit")
	}
	if _, err := time.Parse(DateLayout, d.Date); err != nil {
		return Errorf(EINVALID, "送达日期 %q 应写成 YYYY-MM-DD", "the delivery date %q must be YYYY-MM-DD", d.Date)
	}
	if strings.TrimSpace(d.Method) == "" {
		return Errorf(EINVALID, "房号 %s 的送达记录缺少送达方式", "the delivery record of unit %s has no method", d.Unit)
	}
	if strings.TrimSpace(d.Evidence) == "" {
		return Errorf(EINVALID, "房号 %s 的送达记录缺少证据说明（法院只认可能证明送达的记录）", "the delivery record of unit %s has no evidence (courts only accept proven delivery)", d.Unit)
	}
	return nil
}

// HeadRuling is the committee's decision, after looking into it, on which side one
// person (a multi-unit owner or the developer) is counted for a matter when their
// ballots disagree. Without a ruling the person is counted as participating but on no
// side for that matter.
type HeadRuling struct {
	Person string    `json:"person"` // Unit.Person() key, e.g. "owner:O00012" or "developer"
	Matter int       `json:"matter"`
	Choice Choice    `json:"choice"`
	Note   string    `json:"note,omitempty"`
	Who    string    `json:"who"`
	At     time.Time `json:"at"`
}

// VoteRecord is everything the tally reads: the assembly, its frozen register, both
// entries as keyed, the resolutions, delivery records and head rulings.
type VoteRecord struct {
	Assembly    Assembly
	Register    []Unit
	EntryA      []Ballot
	EntryB      []Ballot
	Resolutions []Resolution
	Deliveries  []Delivery
	Rulings     []HeadRuling
	// KeyersA and KeyersB name the members who keyed each entry (WithKeyer), in order.
	KeyersA, KeyersB []string
}

// VoteService keeps assemblies and their ballots.
type VoteService interface {
	// CreateAssembly records an assembly with the register as it stands now (frozen),
	// and returns it with its id. EINVALID for a bad title or matters; ENOTFOUND without a book.
	CreateAssembly(ctx context.Context, a Assembly, who string) (Assembly, error)
	// Assemblies lists all assemblies, oldest first.
	Assemblies(ctx context.Context) ([]Assembly, error)
	// VoteRecord returns everything recorded for an assembly; ENOTFOUND if there is none.
	VoteRecord(ctx context.Context, voteID string) (VoteRecord, error)
	// EnterBallots adds one transcription's ballots to entry A or B (replace: instead of
	// what that entry holds). All or nothing: ECONFLICT if a ballot number is already in
	// the entry, EINVALID for a ballot that does not fit the assembly.
	// When ctx names the person keying (WithKeyer), ECONFLICT if that person keyed the
	// other entry: the two transcriptions are independent (docs/votes.md).
	EnterBallots(ctx context.Context, voteID, entry string, ballots []Ballot, replace bool, who string) error
	// RemoveBallot takes back one keyed ballot from entry A or B (a keying slip noticed
	// at once); ENOTFOUND if the entry has no such ballot number. The audit log keeps it.
	RemoveBallot(ctx context.Context, voteID, entry, ballotNo, who string) error
	// Resolve records the third look at a paper ballot. ENOTFOUND if neither entry has
	// that ballot number.
	Resolve(ctx context.Context, voteID string, r Resolution, who string) error
	// RuleHead records the committee's ruling on a person whose ballots disagree.
	RuleHead(ctx context.Context, voteID string, r HeadRuling, who string) error
	// SetDeemedRule changes the assembly's deemed-vote setting (whether the clause
	// applies, its wording, and DeemAlso), audited with the reason. EINVALID for an
	// unknown DeemAlso code; ENOTFOUND for an unknown assembly.
	SetDeemedRule(ctx context.Context, voteID string, deemed bool, rule string, deemAlso []string, why, who string) (Assembly, error)
	// RecordDeliveries adds or replaces delivery records; EINVALID for a unit not in the
	// frozen register or a record without evidence.
	RecordDeliveries(ctx context.Context, voteID string, ds []Delivery, who string) error
	// Tally counts the assembly's ballots (see CountVotes).
	Tally(ctx context.Context, voteID string) (Tally, error)
	// MatterPassed says whether a matter passed (quorum and threshold, without deemed
	// votes): what an expense from the maintenance fund checks. ENOTFOUND for an unknown
	// assembly or matter.
	MatterPassed(ctx context.Context, voteID string, matterNo int) (bool, error)
}

type keyerKey struct{}

// WithKeyer tells EnterBallots who keys the ballots by name (the window's signed-in
// member, the CLI's --as), as against who, the audit's name, which may be only the
// computer's user: only a named keyer is held to keying one entry (docs/votes.md).
func WithKeyer(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, keyerKey{}, name)
}

// KeyerOf returns the keyer WithKeyer put in ctx, or "".
func KeyerOf(ctx context.Context) string {
	s, _ := ctx.Value(keyerKey{}).(string)
	return s
}
