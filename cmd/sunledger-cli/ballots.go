package main

import (
	"fmt"
	"strconv"
	"strings"

	"sunledger/app"
)

// The paper ballots of an assembly: two independent transcriptions entered, their
// differences listed, each one resolved by a third look at the paper, and the ruling on
// an owner whose ballots disagree (docs/votes.md).

func init() {
	register("vote enter", "--vote ID --entry A|B FILE [--replace]   "+app.T("录入一份纸质选票转录（CSV/XLSX）", "enter one transcription of the paper ballots (CSV/XLSX)"), voteEnter)
	register("vote diff", "--vote ID [--json]   "+app.T("录入A与录入B的全部差异", "every difference between entries A and B"), voteDiff)
	register("vote resolve", "--vote ID --ballot NO [--from A|B] [--unit U] [--m N=CHOICE]... [--invalid REASON|--valid] [--proxy P] [--note TEXT]   "+app.T("记录核对原票的结果", "record the third look at a paper ballot"), voteResolve)
	register("vote rule", "--vote ID (--owner OWNER_ID|--developer) --matter N --choice agree|oppose|abstain [--note TEXT]   "+app.T("核定多户业主意见不一致时的人数归属", "rule on the side of an owner whose ballots disagree"), voteRule)
}

func voteEnter(e *env, args []string) error {
	ea, err := parseEnter("vote enter", "vote", args)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	rec, err := svc.Votes.VoteRecord(e.ctx, ea.id)
	if err != nil {
		return err
	}
	ballots, err := app.ParseBallotRows(ea.rows, rec.Assembly.Matters)
	if err != nil {
		return unchanged(err, "没有录入任何选票", "no ballot was entered")
	}
	// Printed ballots (report ballots): the number names the unit when the unit cell is empty.
	rec.FillIssuedUnits(ballots)
	if err := svc.Votes.EnterBallots(app.WithKeyer(e.ctx, ea.keyer), ea.id, ea.entry, ballots, ea.replace, ea.who); err != nil {
		return err
	}
	if rec, err = svc.Votes.VoteRecord(e.ctx, ea.id); err != nil {
		return err
	}
	entered(e, ea, len(ballots), len(rec.EntryA), len(rec.EntryB), [2]string{"张选票", "ballots"})
	return nil
}

func voteDiff(e *env, args []string) error {
	fs := newFlags("vote diff")
	id := fs.String("vote", "", "vote id")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args, "vote")
	if err != nil {
		return err
	}
	rec, err := svc.Votes.VoteRecord(e.ctx, *id)
	if err != nil {
		return err
	}
	_, diffs, unreconciled := app.Reconcile(rec.Assembly.Matters, rec.EntryA, rec.EntryB, rec.Resolutions)
	if *asJSON {
		if diffs == nil {
			diffs = []app.Difference{}
		}
		return printJSON(e.stdout, diffs)
	}
	if err := printDiffs(e, app.T("票号", "ballot"), diffs, fieldLabel, func(field, v string) string {
		if strings.HasPrefix(field, "m") {
			c, _ := app.ParseChoice(v)
			return c.Label()
		}
		return v
	}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("录入A %d 张，录入B %d 张；%d 处差异，%d 张票尚未核对一致\n", "entry A %d, entry B %d ballots; %d differences, %d ballots not reconciled\n"),
		len(rec.EntryA), len(rec.EntryB), len(diffs), len(unreconciled))
	return nil
}

func fieldLabel(f string) string {
	switch {
	case f == "ballot_no":
		return app.T("票号（仅一方录入）", "ballot no (in one entry only)")
	case f == "unit":
		return app.T("房号", "unit")
	case f == "invalid_reason":
		return app.T("无效原因", "invalid reason")
	case f == "proxy":
		return app.T("代理人", "proxy")
	case strings.HasPrefix(f, "m"):
		return app.T("事项", "matter ") + f[1:]
	}
	return f
}

func show(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func voteResolve(e *env, args []string) error {
	fs := newFlags("vote resolve")
	look := addThirdLook(fs, "vote", "ballot")
	id, no := look.id, look.no
	var choices stringList
	fs.Var(&choices, "m", "N=CHOICE (repeatable)")
	all := fs.String("choices", "", "all choices in matter order, comma-separated")
	proxy := fs.String("proxy", "", "proxy")
	if err := look.parse(fs, args); err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	rec, err := svc.Votes.VoteRecord(e.ctx, *id)
	if err != nil {
		return err
	}
	bno := app.NormalizeBallotNo(*no)
	base, err := pickPaper(rec.EntryA, rec.EntryB, func(b app.Ballot) string { return b.No }, bno, *look.from, [2]string{"票号", "ballot"})
	if err != nil {
		return err
	}
	base.Choices = append([]app.Choice(nil), base.Choices...)
	ms := rec.Assembly.Matters
	if err := setAllChoices(base.Choices, rec.Assembly, *all); err != nil {
		return err
	}
	if err := setMatterChoices(base.Choices, rec.Assembly, choices); err != nil {
		return err
	}
	state := look.apply(&base.Unit, &base.Invalid)
	if *proxy != "" {
		base.Proxy = *proxy
	}
	if err := svc.Votes.Resolve(e.ctx, *id, app.Resolution{Ballot: base, Note: *look.note}, who(*look.as)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("票号 %s 已按原票核定：房号 %s，%s，%s\n", "ballot %s resolved from the paper: unit %s, %s, %s\n"), bno, base.Unit, choicesLabel(ms, base.Choices), state)
	return nil
}

// setAllChoices applies vote resolve's --choices (every matter's choice, in matter
// order, comma-separated) to choices; an empty flag changes nothing.
func setAllChoices(choices []app.Choice, a app.Assembly, all string) error {
	if all == "" {
		return nil
	}
	parts := strings.Split(all, ",")
	if len(parts) != len(a.Matters) {
		return usageError("--choices 需要 %d 个选项（每个事项一个），而不是 %d 个", "--choices needs %d choices (one per matter), not %d", len(a.Matters), len(parts))
	}
	for i, p := range parts {
		c, ok := app.ParseChoice(p)
		if !ok {
			return app.Errorf(app.EINVALID, "选项应为 同意/反对/弃权（agree/oppose/abstain）或留空，而不是 %q", "a choice must be agree/oppose/abstain (同意/反对/弃权) or empty, not %q", p)
		}
		choices[i] = c
	}
	return nil
}

// setMatterChoices applies vote resolve's --m NO=CHOICE flags to choices, in the order given.
func setMatterChoices(choices []app.Choice, a app.Assembly, flags []string) error {
	for _, kv := range flags {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(k), "m"))
		if !ok || err != nil {
			return usageError("--m 应写成 事项序号=选项，例如 --m 1=agree", "--m must be NO=CHOICE, e.g. --m 1=agree")
		}
		i := a.MatterIndex(n)
		if i < 0 {
			return app.Errorf(app.EINVALID, "本次大会没有事项 %d", "the assembly has no matter %d", n)
		}
		c, ok := app.ParseChoice(v)
		if !ok {
			return app.Errorf(app.EINVALID, "事项%d 的选项应为 同意/反对/弃权（agree/oppose/abstain）或留空，而不是 %q", "matter %d: the choice must be agree/oppose/abstain (同意/反对/弃权) or empty, not %q", n, v)
		}
		choices[i] = c
	}
	return nil
}

// choicesLabel is a ballot's choices as the CLI prints them: "1:同意 2:反对".
func choicesLabel(ms []app.Matter, choices []app.Choice) string {
	parts := make([]string, len(choices))
	for i, c := range choices {
		parts[i] = fmt.Sprintf("%d:%s", ms[i].No, c.Label())
	}
	return strings.Join(parts, " ")
}

func voteRule(e *env, args []string) error {
	fs := newFlags("vote rule")
	id := fs.String("vote", "", "vote id")
	owner := fs.String("owner", "", "owner id")
	developer := fs.Bool("developer", false, "the developer")
	matter := fs.Int("matter", 0, "matter number")
	choice := fs.String("choice", "", "agree|oppose|abstain")
	note := fs.String("note", "", "why")
	as := asFlag(fs)
	if err := parseStrict(fs, args, "vote"); err != nil {
		return err
	}
	if (*owner == "") == !*developer {
		return usageError("请用 --owner 业主编号 或 --developer 指明业主（二选一）", "name the owner with --owner OWNER_ID or --developer (one of them)")
	}
	c, ok := app.ParseChoice(*choice)
	if !ok || c == app.Blank || c == app.Double {
		return usageError("--choice 应为 agree、oppose 或 abstain（同意、反对、弃权）", "--choice must be agree, oppose or abstain (同意、反对、弃权)")
	}
	person := app.DeveloperPerson
	if !*developer {
		person = app.Unit{OwnerID: strings.TrimSpace(*owner)}.Person()
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if err := svc.Votes.RuleHead(e.ctx, *id, app.HeadRuling{Person: person, Matter: *matter, Choice: c, Note: *note}, who(*as)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已记录：事项 %d 中 %s 计为%s\n", "recorded: on matter %d, %s counts as %s\n"), *matter, strings.TrimPrefix(person, "owner:"), c.Label())
	return nil
}
