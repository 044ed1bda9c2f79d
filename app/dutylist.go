package app

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// DutyItem is one line of the duty list: a duty and the party that carries it.
type DutyItem struct {
	Party Party  `json:"party"`
	Duty  string `json:"duty"`
}

// DutyList is one version of the three parties' duty list (三方权责清单): who of the
// community, the committee and the property company does what. Versions are never
// changed or removed; a new version replaces the old as the one in force, and the old
// ones stay readable. See docs/meetings.md.
type DutyList struct {
	Version int        `json:"version"`
	Date    string     `json:"date"` // the day it was adopted, YYYY-MM-DD
	Items   []DutyItem `json:"items"`
	Who     string     `json:"who"`
	Why     string     `json:"why"`
	At      time.Time  `json:"at"`
}

// MaxDutyItems bounds a duty list.
const MaxDutyItems = 500

// Validate checks a duty list: a date, at least one item, each with a known party and
// a duty, no duty listed twice for the same party.
func (l DutyList) Validate() error {
	if _, err := ParseMeetingDate(T("清单日期", "the list's date"), l.Date); err != nil {
		return err
	}
	if len(l.Items) == 0 {
		return Errorf(EINVALID, "权责清单没有任何条目；没有做任何更改", "the duty list has no items; nothing was changed")
	}
	if len(l.Items) > MaxDutyItems {
		return Errorf(EINVALID, "权责清单最多 %d 条，收到 %d 条；没有做任何更改", "a duty list holds at most %d items, not %d; nothing was changed", MaxDutyItems, len(l.Items))
	}
	seen := map[DutyItem]int{}
	for i, it := range l.Items {
		if p, err := ParseParty(string(it.Party)); err != nil || p != it.Party {
			return Errorf(EINVALID, "第 %d 条的责任方 %q 不是社区、业委会或物业；没有做任何更改", "item %d: %q is not the community, the committee or the property company; nothing was changed", i+1, it.Party)
		}
		if strings.TrimSpace(it.Duty) == "" || !utf8.ValidString(it.Duty) || utf8.RuneCountInString(it.Duty) > maxMeetingText {
			return Errorf(EINVALID, "第 %d 条的职责为空、太长（最多 %d 字）或不是有效文字；没有做任何更改", "item %d: the duty is empty, too long (at most %d characters) or not valid text; nothing was changed", i+1, maxMeetingText)
		}
		if strings.ContainsAny(it.Duty, "\r\n") {
			return Errorf(EINVALID, "第 %d 条的职责不能换行；没有做任何更改", "item %d: a duty is one line; nothing was changed", i+1)
		}
		if j, dup := seen[it]; dup {
			return Errorf(EINVALID, "第 %d 条与第 %d 条重复；没有做任何更改", "item %d repeats item %d; nothing was changed", i+1, j)
		}
		seen[it] = i + 1
	}
	return nil
}

// ByParty groups the items by party, in the parties' order, keeping the list's order
// within each party.
func (l DutyList) ByParty() map[Party][]string {
	out := map[Party][]string{}
	for _, it := range l.Items {
		out[it.Party] = append(out[it.Party], it.Duty)
	}
	return out
}

// ParseDutyList reads a duty-list file (docs/meetings.md), either
//
//   - CSV with a header row party,duty (责任方,职责), one duty per row; or
//   - text: a line "[物业]" (or [property], [业委会], [社区] …) starts a party's section
//     and every following non-blank line is one of its duties ("- " or "1." in front
//     is dropped); lines starting with # are comments.
//
// UTF-8, with or without BOM. A bad line rejects the whole file with its line number.
func ParseDutyList(data []byte) ([]DutyItem, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, Errorf(EINVALID, "权责清单文件不是 UTF-8 文本；没有做任何更改", "the duty-list file is not UTF-8 text; nothing was changed")
	}
	first, _, _ := strings.Cut(string(data), "\n")
	if h := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(strings.TrimSpace(first), "，", ",")), "")); h == "party,duty" || h == "责任方,职责" {
		return parseDutyCSV(data)
	}
	return parseDutyText(string(data))
}

func parseDutyCSV(data []byte) ([]DutyItem, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	var items []DutyItem
	for line := 1; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, Errorf(EINVALID, "权责清单第 %d 行无法读取（%v）；没有做任何更改", "duty list line %d cannot be read (%v); nothing was changed", line, err)
		}
		if line == 1 {
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 2 {
			return nil, Errorf(EINVALID, "权责清单第 %d 行应有 2 列（责任方,职责），实有 %d 列；没有做任何更改", "duty list line %d needs 2 columns (party,duty), it has %d; nothing was changed", line, len(rec))
		}
		it, err := dutyItem(line, rec[0], rec[1])
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		if len(items) > MaxDutyItems {
			return nil, Errorf(EINVALID, "权责清单最多 %d 条；没有做任何更改", "a duty list holds at most %d items; nothing was changed", MaxDutyItems)
		}
	}
	return dutyItemsOrEmpty(items)
}

func parseDutyText(s string) ([]DutyItem, error) {
	var items []DutyItem
	var party Party
	for i, raw := range strings.Split(s, "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "[") || strings.HasPrefix(line, "【"):
			name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(line, "["), "【"), "]"), "】")
			p, err := ParseParty(name)
			if err != nil {
				return nil, Errorf(EINVALID, "权责清单第 %d 行：%q 不是社区、业委会或物业；没有做任何更改", "duty list line %d: %q is not the community, the committee or the property company; nothing was changed", i+1, name)
			}
			party = p
			continue
		}
		if party == "" {
			return nil, Errorf(EINVALID, "权责清单第 %d 行的职责前没有责任方（先写一行 [物业] 之类）；没有做任何更改", "duty list line %d: a duty before any party (write a line like [property] first); nothing was changed", i+1)
		}
		it, err := dutyItem(i+1, string(party), trimBullet(line))
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		if len(items) > MaxDutyItems {
			return nil, Errorf(EINVALID, "权责清单最多 %d 条；没有做任何更改", "a duty list holds at most %d items; nothing was changed", MaxDutyItems)
		}
	}
	return dutyItemsOrEmpty(items)
}

// trimBullet drops "- ", "* ", "・", "1." or "1、" in front of a duty.
func trimBullet(s string) string {
	for _, p := range []string{"- ", "* ", "• ", "·"} {
		if strings.HasPrefix(s, p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) {
		rest := s[i:]
		for _, p := range []string{".", "、", ")", "）"} {
			if strings.HasPrefix(rest, p) {
				return strings.TrimSpace(rest[len(p):])
			}
		}
	}
	return s
}

func dutyItem(line int, party, duty string) (DutyItem, error) {
	p, err := ParseParty(party)
	if err != nil {
		return DutyItem{}, Errorf(EINVALID, "权责清单第 %d 行：%q 不是社区、业委会或物业；没有做任何更改", "duty list line %d: %q is not the community, the committee or the property company; nothing was changed", line, strings.TrimSpace(party))
	}
	duty = strings.TrimSpace(duty)
	if duty == "" {
		return DutyItem{}, Errorf(EINVALID, "权责清单第 %d 行没有职责内容；没有做任何更改", "duty list line %d has no duty; nothing was changed", line)
	}
	if strings.ContainsAny(duty, "\r\n") || utf8.RuneCountInString(duty) > maxMeetingText {
		return DutyItem{}, Errorf(EINVALID, "权责清单第 %d 行的职责太长或跨行；没有做任何更改", "duty list line %d: the duty is too long or spans lines; nothing was changed", line)
	}
	return DutyItem{Party: p, Duty: duty}, nil
}

func dutyItemsOrEmpty(items []DutyItem) ([]DutyItem, error) {
	if len(items) == 0 {
		return nil, Errorf(EINVALID, "权责清单文件里没有任何职责；没有做任何更改", "the duty-list file holds no duties; nothing was changed")
	}
	return items, nil
}
