package app

import (
	"strings"
)

// Choice is what a paper ballot (表决票) says on one matter.
type Choice uint8

// The choices a transcriber can key. Blank and Double are kept apart from Abstain so
// the record shows what the paper said; the tally counts both as abstain (docs/domain.md
// "Votes": on a valid ballot a matter left blank or marked twice counts as abstain).
const (
	Blank   Choice = iota // 未填: nothing marked
	Agree                 // 同意
	Oppose                // 反对
	Abstain               // 弃权
	Double                // 多选: more than one box marked
)

var choiceNames = [...]string{Blank: "", Agree: "agree", Oppose: "oppose", Abstain: "abstain", Double: "double"}

// String is the English code of the choice as written in ballot files ("" for Blank).
func (c Choice) String() string {
	if int(c) < len(choiceNames) {
		return choiceNames[c]
	}
	return "?"
}

// Label is the choice as printed on notices and screens.
func (c Choice) Label() string {
	switch c {
	case Agree:
		return T("同意", "agree")
	case Oppose:
		return T("反对", "oppose")
	case Abstain:
		return T("弃权", "abstain")
	case Double:
		return T("多选", "marked twice")
	}
	return T("未填", "blank")
}

// Counted is the side the tally puts the choice on: blank and double-marked count as
// abstain.
func (c Choice) Counted() Choice {
	if c == Blank || c == Double {
		return Abstain
	}
	return c
}

// MarshalText writes the English code, so stored ballots read like the files they came from.
func (c Choice) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads any spelling ParseChoice accepts.
func (c *Choice) UnmarshalText(b []byte) error {
	v, ok := ParseChoice(string(b))
	if !ok {
		return Errorf(EINVALID, "无法识别的选项 %q", "unknown choice %q", string(b))
	}
	*c = v
	return nil
}

// choiceSpellings are the accepted spellings (docs/formats.md: agree|oppose|abstain or
// 同意|反对|弃权, empty when not answered), plus a code for a matter marked twice.
var choiceSpellings = map[string]Choice{
	"": Blank, "agree": Agree, "oppose": Oppose, "abstain": Abstain, "double": Double,
	"同意": Agree, "反对": Oppose, "弃权": Abstain, "多选": Double,
}

// ParseChoice reads one matter's cell of a ballot file. English codes are
// case-insensitive; surrounding spaces (also full-width) are ignored.
func ParseChoice(s string) (Choice, bool) {
	s = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(s, "\u3000", " ")))
	c, ok := choiceSpellings[s]
	return c, ok
}

// Invalid-ballot reason codes (无效原因). A transcriber may write the code or its
// Chinese label; any other text is kept as written and reported under that text.
type InvalidReason string

const (
	ReasonUnsigned          InvalidReason = "unsigned"            // 未签名
	ReasonIllegible         InvalidReason = "illegible"           // 无法辨认
	ReasonUnknownUnit       InvalidReason = "unknown_unit"        // 房号不在登记册（also set by the tally）
	ReasonNotIdentifiable   InvalidReason = "not_identifiable"    // 无法确认投票人
	ReasonSpoiled           InvalidReason = "spoiled"             // 污损、撕毁
	ReasonNoAuthorization   InvalidReason = "no_authorization"    // 代理投票无书面委托
	ReasonWithdrawn         InvalidReason = "withdrawn"           // 业委会核定作废（如重复票中的一张）
	ReasonParkingNotCounted InvalidReason = "parking_not_counted" // 车位不计入表决（议事规则），set by the tally
)

var reasonSpellings = map[string]InvalidReason{
	"unsigned": ReasonUnsigned, "未签名": ReasonUnsigned, "未签字": ReasonUnsigned, "无签名": ReasonUnsigned,
	"illegible": ReasonIllegible, "无法辨认": ReasonIllegible, "字迹不清": ReasonIllegible, "字迹无法辨认": ReasonIllegible,
	"unknown_unit": ReasonUnknownUnit, "房号不存在": ReasonUnknownUnit, "房号不在登记册": ReasonUnknownUnit, "非本小区房号": ReasonUnknownUnit,
	"not_identifiable": ReasonNotIdentifiable, "无法确认投票人": ReasonNotIdentifiable, "无法识别": ReasonNotIdentifiable,
	"spoiled": ReasonSpoiled, "污损": ReasonSpoiled, "破损": ReasonSpoiled, "撕毁": ReasonSpoiled,
	"no_authorization": ReasonNoAuthorization, "无委托书": ReasonNoAuthorization, "委托无效": ReasonNoAuthorization,
	"withdrawn": ReasonWithdrawn, "作废": ReasonWithdrawn, "duplicate": ReasonWithdrawn, "重复": ReasonWithdrawn,
	"parking_not_counted": ReasonParkingNotCounted, "车位不计入": ReasonParkingNotCounted,
}

var reasonLabels = map[InvalidReason][2]string{
	ReasonUnsigned:          {"未签名", "unsigned"},
	ReasonIllegible:         {"无法辨认", "illegible"},
	ReasonUnknownUnit:       {"房号不在登记册", "unit not in the register"},
	ReasonNotIdentifiable:   {"无法确认投票人", "voter not identifiable"},
	ReasonSpoiled:           {"污损", "spoiled"},
	ReasonNoAuthorization:   {"代理投票无书面委托", "proxy without written authorization"},
	ReasonWithdrawn:         {"业委会核定作废", "withdrawn by the committee"},
	ReasonParkingNotCounted: {"车位不计入表决", "parking space does not vote"},
}

// NormalizeReason turns what a transcriber wrote in the invalid_reason column into a
// reason code: a known code or Chinese label maps to its code, other text is kept
// trimmed (lowercased if it is plain ASCII) so that A and B compare equal.
func NormalizeReason(s string) InvalidReason {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u3000", " "))
	if code, ok := reasonSpellings[strings.ToLower(s)]; ok {
		return code
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		s = strings.ToLower(s)
	}
	return InvalidReason(s)
}

// ReasonLabel is a reason code as printed on the announcement.
func ReasonLabel(code InvalidReason) string {
	if l, ok := reasonLabels[code]; ok {
		return T(l[0], l[1])
	}
	return string(code)
}

// Ballot is one paper ballot (表决票) as transcribed: the number printed on it, the
// unit it was issued to, one choice per matter of the assembly (in the order of the
// assembly's matters), and, if the paper is invalid as a whole, the reason. A proxy
// (委托投票) names who signed with a written authorization.
type Ballot struct {
	No      string        `json:"no"`
	Unit    string        `json:"unit"`
	Choices []Choice      `json:"choices"`
	Invalid InvalidReason `json:"invalid,omitempty"`
	Proxy   string        `json:"proxy,omitempty"`
	// Row is the spreadsheet row the ballot came from (the header is row 1); 0 if typed.
	Row int `json:"row,omitempty"`
}

// Validate checks a ballot against the number of matters of its assembly. A ballot
// without a unit is accepted here: the tally reports it as invalid (unknown_unit).
func (b Ballot) Validate(matters int) error {
	switch {
	case b.No == "":
		return Errorf(EINVALID, "票号为空", "the ballot number is empty")
	case len(b.Choices) != matters:
		return Errorf(EINVALID, "票 %s 有 %d 个事项的选项，本次大会有 %d 个事项", "ballot %s has choices for %d matters, the assembly has %d", b.No, len(b.Choices), matters)
	}
	for _, c := range b.Choices {
		if c > Double {
			return Errorf(EINVALID, "票 %s 的选项无法识别", "ballot %s has an unknown choice", b.No)
		}
	}
	return nil
}

// Same reports whether two transcriptions of one paper say the same thing on every field.
func (b Ballot) Same(o Ballot) bool {
	if b.No != o.No || b.Unit != o.Unit || b.Invalid != o.Invalid || b.Proxy != o.Proxy || len(b.Choices) != len(o.Choices) {
		return false
	}
	for i := range b.Choices {
		if b.Choices[i] != o.Choices[i] {
			return false
		}
	}
	return true
}

// NormalizeBallotNo makes the number typed from a paper ballot comparable between
// entries: spaces and full-width digits are folded and leading zeros of an all-digit
// number dropped ("0012" and "12" are the same paper).
func NormalizeBallotNo(s string) string {
	s = strings.TrimSpace(fullWidth.Replace(s))
	if s == "" {
		return s
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return s
		}
	}
	t := strings.TrimLeft(s, "0")
	if t == "" {
		return "0"
	}
	return t
}

// NormalizeUnitID folds spaces and full-width characters of a unit id typed from paper or
// with a Chinese input method: the register, payments, service requests and ballots all
// name a unit this way, so "３-２-１５０１" is 3-2-1501 everywhere.
func NormalizeUnitID(s string) string {
	return strings.TrimSpace(fullWidth.Replace(s))
}
