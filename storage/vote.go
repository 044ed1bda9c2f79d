package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"sunledger/app"
)

var _ app.VoteService = VoteService{}

// CreateAssembly records an assembly with a copy of the register as it stands now:
// later register edits do not change its tally.
func (s VoteService) CreateAssembly(ctx context.Context, a app.Assembly, who string) (app.Assembly, error) {
	a.Title = strings.TrimSpace(a.Title)
	a.Rule = strings.TrimSpace(a.Rule)
	a.DeemAlso = normalizeDeemAlso(a.DeemAlso)
	app.SortMatters(a.Matters)
	if err := a.Validate(); err != nil {
		return app.Assembly{}, err
	}
	for _, m := range a.Matters {
		if err := m.CheckItem(); err != nil {
			return app.Assembly{}, err
		}
	}
	err := s.db.update(func(tx *Tx) error {
		var c app.Community
		ok, err := tx.get(keyCommunity, &c)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNoBook(s.db.dir)
		}
		units, err := tx.units()
		if err != nil {
			return err
		}
		if len(units) == 0 {
			return app.Errorf(app.EINVALID, "登记册是空的：请先导入房号再创建表决", "the register is empty: import the units before creating a vote")
		}
		if err := checkScopes(a.Matters, units, !c.ExcludeParking); err != nil {
			return err
		}
		n, err := tx.next("vote")
		if err != nil {
			return err
		}
		a.ID = fmt.Sprintf("V%04d", n)
		a.Created = tx.now.UTC()
		if a.Date == "" {
			a.Date = tx.now.Format(app.DateLayout)
		}
		a.CountParking = !c.ExcludeParking
		a.Units = len(units)
		if err := tx.put(voteMetaKey(a.ID), a); err != nil {
			return err
		}
		if err := tx.put(voteRegKey(a.ID), units); err != nil {
			return err
		}
		return tx.audit(who, "vote.new", fmt.Sprintf("%s %s: %d matters, register of %d units frozen, deemed=%v also=%v", a.ID, a.Title, len(a.Matters), len(units), a.Deemed, a.DeemAlso), "")
	})
	if err != nil {
		return app.Assembly{}, err
	}
	return a, nil
}

// Assemblies lists all assemblies, oldest first.
func (s VoteService) Assemblies(ctx context.Context) ([]app.Assembly, error) {
	var out []app.Assembly
	err := s.db.view(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		return eachJSON(tx, prefixVoteMeta, func(_ string, a app.Assembly) error {
			out = append(out, a)
			return nil
		})
	})
	return out, err
}

func (tx *Tx) assembly(id string) (app.Assembly, error) {
	var a app.Assembly
	if err := tx.requireBook(); err != nil {
		return a, err
	}
	ok, err := tx.get(voteMetaKey(id), &a)
	if err == nil && !ok {
		err = app.Errorf(app.ENOTFOUND, "没有编号为 %s 的表决（vote list 列出所有表决）", "there is no vote %s (vote list shows them)", id)
	}
	return a, err
}

// VoteRecord returns everything recorded for an assembly.
func (s VoteService) VoteRecord(ctx context.Context, id string) (app.VoteRecord, error) {
	var r app.VoteRecord
	err := s.db.view(func(tx *Tx) error {
		var err error
		r, err = tx.voteRecord(id)
		return err
	})
	return r, err
}

func (tx *Tx) voteRecord(id string) (app.VoteRecord, error) {
	var r app.VoteRecord
	a, err := tx.assembly(id)
	if err != nil {
		return r, err
	}
	r.Assembly = a
	if _, err := tx.get(voteRegKey(id), &r.Register); err != nil {
		return r, err
	}
	if _, err := tx.get(voteKeyerKey(id, app.EntryA), &r.KeyersA); err != nil {
		return r, err
	}
	if _, err := tx.get(voteKeyerKey(id, app.EntryB), &r.KeyersB); err != nil {
		return r, err
	}
	for _, e := range []struct {
		name string
		into *[]app.Ballot
	}{{app.EntryA, &r.EntryA}, {app.EntryB, &r.EntryB}} {
		if err := eachJSON(tx, voteBallotPrefix(id, e.name), func(_ string, b app.Ballot) error {
			*e.into = append(*e.into, b)
			return nil
		}); err != nil {
			return r, err
		}
	}
	if err := eachJSON(tx, voteResPrefix(id), func(_ string, v app.Resolution) error {
		r.Resolutions = append(r.Resolutions, v)
		return nil
	}); err != nil {
		return r, err
	}
	if err := eachJSON(tx, voteDlvPrefix(id), func(_ string, v app.Delivery) error {
		r.Deliveries = append(r.Deliveries, v)
		return nil
	}); err != nil {
		return r, err
	}
	err = eachJSON(tx, voteRulePrefix(id), func(_ string, v app.HeadRuling) error {
		r.Rulings = append(r.Rulings, v)
		return nil
	})
	return r, err
}

// EnterBallots adds one transcription's ballots to entry A or B, all or nothing.
func (s VoteService) EnterBallots(ctx context.Context, id, entry string, ballots []app.Ballot, replace bool, who string) error {
	entry, err := checkEntry(entry)
	if err != nil {
		return err
	}
	if len(ballots) == 0 {
		return app.Errorf(app.EINVALID, "没有要录入的选票", "there are no ballots to enter")
	}
	keyer := app.KeyerOf(ctx)
	err = s.db.update(func(tx *Tx) error {
		a, err := tx.assembly(id)
		if err != nil {
			return err
		}
		if err := recordKeyer(tx, id, entry, keyer, replace); err != nil {
			return err
		}
		if err := putEntry(tx, voteBallotPrefix(id, entry), entry, ballotWord, ballots, replace, func(b *app.Ballot) (string, error) {
			b.No = app.NormalizeBallotNo(b.No)
			return b.No, b.Validate(len(a.Matters))
		}); err != nil {
			return err
		}
		action := "vote.enter"
		if replace {
			action = "vote.enter.replace"
		}
		return tx.audit(who, action, fmt.Sprintf("%s entry %s: %d ballots", id, entry, len(ballots)), "")
	})
	if errors.Is(err, errSameKeyer) {
		s.db.AuditRefusal(who, "vote.enter", fmt.Sprintf("%s entry %s: %d ballots keyed by %s", id, entry, len(ballots), keyer), err)
	}
	return err
}

// errSameKeyer marks the refusal of one member keying both entries (its audit).
var errSameKeyer = errors.New("same keyer")

// recordKeyer remembers who keys an entry by name and refuses a name that keyed the
// other entry: the two transcriptions must be independent (docs/votes.md). Without a
// named keyer (keyer "") nothing is checked or remembered.
func recordKeyer(tx *Tx, id, entry, keyer string, replace bool) error {
	keyer = strings.TrimSpace(keyer)
	var mine []string
	if _, err := tx.get(voteKeyerKey(id, entry), &mine); err != nil {
		return err
	}
	if replace {
		mine = nil // the entry's earlier ballots, and who keyed them, are gone
	}
	if keyer == "" {
		if replace {
			return tx.delete(voteKeyerKey(id, entry))
		}
		return nil
	}
	other := app.EntryB
	if entry == app.EntryB {
		other = app.EntryA
	}
	var theirs []string
	if _, err := tx.get(voteKeyerKey(id, other), &theirs); err != nil {
		return err
	}
	if slices.Contains(theirs, keyer) {
		return &app.Error{Code: app.ECONFLICT,
			ZH:  fmt.Sprintf("%s 已录入过录入%s，不能再录入%s：两份录入须由不同的人各自完成；没有录入任何选票", keyer, other, entry),
			EN:  fmt.Sprintf("%s keyed entry %s and cannot also key entry %s: the two entries must be keyed by different people; no ballot was entered", keyer, other, entry),
			Err: errSameKeyer}
	}
	if slices.Contains(mine, keyer) {
		return nil
	}
	return tx.put(voteKeyerKey(id, entry), append(mine, keyer))
}

// RemoveBallot takes back one keyed ballot from an entry.
func (s VoteService) RemoveBallot(ctx context.Context, id, entry, no, who string) error {
	entry = strings.ToUpper(strings.TrimSpace(entry))
	no = app.NormalizeBallotNo(no)
	return s.db.update(func(tx *Tx) error {
		if _, err := tx.assembly(id); err != nil {
			return err
		}
		key := voteBallotPrefix(id, entry) + no
		var b app.Ballot
		ok, err := tx.get(key, &b)
		if err != nil {
			return err
		}
		if !ok || (entry != app.EntryA && entry != app.EntryB) {
			return app.Errorf(app.ENOTFOUND, "录入%s 里没有票号 %s", "entry %s has no ballot %s", entry, no)
		}
		if err := tx.delete(key); err != nil {
			return err
		}
		return tx.audit(who, "vote.unenter", fmt.Sprintf("%s entry %s: ballot %s (unit %s, choices %v, invalid %q, proxy %q) taken back", id, entry, no, b.Unit, b.Choices, b.Invalid, b.Proxy), "")
	})
}

// Resolve records the third look at a paper ballot.
func (s VoteService) Resolve(ctx context.Context, id string, r app.Resolution, who string) error {
	r.Ballot.No = app.NormalizeBallotNo(r.Ballot.No)
	r.Ballot.Unit = app.NormalizeUnitID(r.Ballot.Unit)
	r.Ballot.Invalid = app.NormalizeReason(string(r.Ballot.Invalid))
	r.Ballot.Proxy = strings.TrimSpace(r.Ballot.Proxy)
	r.Ballot.Row = 0
	return s.db.update(func(tx *Tx) error {
		a, err := tx.assembly(id)
		if err != nil {
			return err
		}
		if err := r.Ballot.Validate(len(a.Matters)); err != nil {
			return err
		}
		if err := inEitherEntry(tx, func(e string) string { return voteBallotPrefix(id, e) }, ballotWord, r.Ballot.No); err != nil {
			return err
		}
		r.Who, r.At = who, tx.now.UTC()
		if err := tx.put(voteResKey(id, r.Ballot.No), r); err != nil {
			return err
		}
		return tx.audit(who, "vote.resolve", fmt.Sprintf("%s ballot %s: unit %s, choices %v, invalid %q, proxy %q", id, r.Ballot.No, r.Ballot.Unit, r.Ballot.Choices, r.Ballot.Invalid, r.Ballot.Proxy), r.Note)
	})
}

// RuleHead records the committee's ruling on a person whose ballots disagree on a matter.
func (s VoteService) RuleHead(ctx context.Context, id string, h app.HeadRuling, who string) error {
	return s.db.update(func(tx *Tx) error {
		a, err := tx.assembly(id)
		if err != nil {
			return err
		}
		if a.MatterIndex(h.Matter) < 0 {
			return app.Errorf(app.ENOTFOUND, "表决 %s 没有事项 %d", "vote %s has no matter %d", id, h.Matter)
		}
		if h.Choice != app.Agree && h.Choice != app.Oppose && h.Choice != app.Abstain {
			return app.Errorf(app.EINVALID, "核定意见应为 同意、反对 或 弃权", "the ruling must be agree, oppose or abstain")
		}
		var units []app.Unit
		if _, err := tx.get(voteRegKey(id), &units); err != nil {
			return err
		}
		known := false
		for _, u := range units {
			if u.Person() == h.Person {
				known = true
				break
			}
		}
		if !known {
			return app.Errorf(app.ENOTFOUND, "冻结的登记册里没有业主 %s", "the frozen register has no owner %s", strings.TrimPrefix(h.Person, "owner:"))
		}
		h.Who, h.At = who, tx.now.UTC()
		if err := tx.put(voteRuleKey(id, h.Person, h.Matter), h); err != nil {
			return err
		}
		return tx.audit(who, "vote.rule", fmt.Sprintf("%s matter %d: %s counted as %s", id, h.Matter, h.Person, h.Choice), h.Note)
	})
}

// normalizeDeemAlso trims the codes and drops repeats but keeps unknown ones, so that
// Validate names them.
func normalizeDeemAlso(cs []string) []string {
	known := app.NormalizeDeemAlso(cs)
	for _, c := range cs {
		c = strings.TrimSpace(c)
		ok := false
		for _, k := range known {
			ok = ok || k == c
		}
		if !ok {
			known = append(known, c)
		}
	}
	return known
}

// SetDeemedRule changes an assembly's deemed-vote setting, audited with the reason.
func (s VoteService) SetDeemedRule(ctx context.Context, id string, deemed bool, rule string, deemAlso []string, why, who string) (app.Assembly, error) {
	var out app.Assembly
	if strings.TrimSpace(why) == "" {
		return out, app.Errorf(app.EINVALID, "更改视为表决设置需要写明理由：没有做任何更改", "changing the deemed-vote setting needs a reason: nothing was changed")
	}
	err := s.db.update(func(tx *Tx) error {
		a, err := tx.assembly(id)
		if err != nil {
			return err
		}
		before := fmt.Sprintf("deemed=%v also=%v rule=%q", a.Deemed, a.DeemAlso, a.Rule)
		a.Deemed, a.Rule, a.DeemAlso = deemed, strings.TrimSpace(rule), normalizeDeemAlso(deemAlso)
		if !deemed {
			a.Rule, a.DeemAlso = "", nil
		}
		if err := a.Validate(); err != nil {
			return err
		}
		if err := tx.put(voteMetaKey(id), a); err != nil {
			return err
		}
		out = a
		return tx.audit(who, "vote.settings", fmt.Sprintf("%s: %s -> deemed=%v also=%v rule=%q", id, before, a.Deemed, a.DeemAlso, a.Rule), why)
	})
	return out, err
}

// RecordDeliveries adds or replaces delivery records, all or nothing.
func (s VoteService) RecordDeliveries(ctx context.Context, id string, ds []app.Delivery, who string) error {
	if len(ds) == 0 {
		return app.Errorf(app.EINVALID, "没有送达记录", "there are no delivery records")
	}
	return s.db.update(func(tx *Tx) error {
		if _, err := tx.assembly(id); err != nil {
			return err
		}
		var units []app.Unit
		if _, err := tx.get(voteRegKey(id), &units); err != nil {
			return err
		}
		known := make(map[string]bool, len(units))
		for _, u := range units {
			known[u.ID] = true
		}
		for _, d := range ds {
			d.Unit = app.NormalizeUnitID(d.Unit)
			if err := d.Validate(); err != nil {
				return err
			}
			if !known[d.Unit] {
				return app.Errorf(app.EINVALID, "房号 %s 不在本次表决冻结的登记册里", "unit %s is not in the register frozen for this vote", d.Unit)
			}
			d.Who, d.At = who, tx.now.UTC()
			if err := tx.put(voteDlvKey(id, d.Unit), d); err != nil {
				return err
			}
		}
		return tx.audit(who, "vote.deliver", fmt.Sprintf("%s: %d delivery records (%s, %s)", id, len(ds), ds[0].Method, ds[0].Date), ds[0].Evidence)
	})
}

// voteBallotPrefix is where one entry's ballots live, one key per ballot number, so that
// keying a ballot at a time (the entry screen) writes one small value.
func voteBallotPrefix(id, entry string) string { return voteEntryKey(id, entry) + "/" }

// Tally counts the assembly's ballots.
func (s VoteService) Tally(ctx context.Context, id string) (app.Tally, error) {
	r, err := s.VoteRecord(ctx, id)
	if err != nil {
		return app.Tally{}, err
	}
	t := app.CountVotes(r)
	t.CountedOn = s.db.Now().Format(app.DateLayout)
	return t, nil
}

// MatterPassed says whether a matter passed, without deemed votes.
func (s VoteService) MatterPassed(ctx context.Context, id string, matterNo int) (bool, error) {
	t, err := s.Tally(ctx, id)
	if err != nil {
		return false, err
	}
	return app.MatterPassedIn(t, matterNo)
}

// checkScopes refuses a matter whose scope names a building or unit the register does
// not hold, or holds no unit that votes.
func checkScopes(ms []app.Matter, units []app.Unit, countParking bool) error {
	for _, m := range ms {
		if len(m.Scope) == 0 {
			continue
		}
		in, unknown := app.ScopeUnits(m.Scope, units)
		if len(unknown) > 0 {
			return app.Errorf(app.EINVALID, "事项 %d 的范围里有登记册中没有的楼栋或房号：%s；没有创建大会", "matter %d: the scope names buildings or units the register does not hold: %s; no assembly was created", m.No, strings.Join(unknown, "、"))
		}
		voting := 0
		for _, u := range in {
			if app.VotingUnit(u, countParking) {
				voting++
			}
		}
		if voting == 0 {
			return app.Errorf(app.EINVALID, "事项 %d 的范围里没有参加表决的房号；没有创建大会", "matter %d: the scope holds no unit that votes; no assembly was created", m.No)
		}
	}
	return nil
}
