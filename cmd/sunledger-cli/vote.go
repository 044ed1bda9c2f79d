package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"sunledger/app"
	"sunledger/reports"
)

func init() {
	register("vote new", "--title T --matters FILE [--deemed [--rule TEXT] [--deem-invalid] [--deem-pending] [--deem-duplicates]] [--date YYYY-MM-DD] [--from YYYY-MM-DD --to YYYY-MM-DD]   "+app.T("创建业主大会表决（冻结当前登记册），输出编号", "create an assembly (freezes the register); prints its id"), voteNew)
	register("vote settings", "--vote ID (--deemed|--no-deemed) [--rule TEXT] [--deem-invalid] [--deem-pending] [--deem-duplicates] --reason TEXT   "+app.T("更改视为表决设置（记入审计日志）", "change the deemed-vote setting (audited)"), voteSettings)
	register("vote enter", "--vote ID --entry A|B FILE [--replace]   "+app.T("录入一份纸质选票转录（CSV/XLSX）", "enter one transcription of the paper ballots (CSV/XLSX)"), voteEnter)
	register("vote diff", "--vote ID [--json]   "+app.T("录入A与录入B的全部差异", "every difference between entries A and B"), voteDiff)
	register("vote resolve", "--vote ID --ballot NO [--from A|B] [--unit U] [--m N=CHOICE]... [--invalid REASON|--valid] [--proxy P] [--note TEXT]   "+app.T("记录核对原票的结果", "record the third look at a paper ballot"), voteResolve)
	register("vote rule", "--vote ID (--owner OWNER_ID|--developer) --matter N --choice agree|oppose|abstain [--note TEXT]   "+app.T("核定多户业主意见不一致时的人数归属", "rule on the side of an owner whose ballots disagree"), voteRule)
	register("vote deliver", "--vote ID (--unit U... | --all) --date YYYY-MM-DD --method M --evidence TEXT   "+app.T("记录选票送达证据（视为表决规则用）", "record ballot delivery evidence (deemed-vote rule)"), voteDeliver)
	register("vote tally", "--vote ID [--json]   "+app.T("计票结果", "the result"), voteTally)
	register("vote list", "[--json]   "+app.T("所有表决", "all assemblies"), voteList)
	reportKinds["tally"] = reportTally
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// deemFlags are the flags that widen the deemed-vote reading for a community whose
// rules deem units that answered (by default only units with no ballot at all are deemed).
type deemFlags struct{ invalid, pending, duplicates *bool }

func addDeemFlags(fs *flag.FlagSet) deemFlags {
	return deemFlags{
		invalid:    fs.Bool("deem-invalid", false, "the rules also deem delivered units whose ballot was wholly invalid"),
		pending:    fs.Bool("deem-pending", false, "the rules also deem delivered units whose ballot awaits the third look"),
		duplicates: fs.Bool("deem-duplicates", false, "the rules also deem delivered units whose ballots are held back as duplicates"),
	}
}

func (f deemFlags) list() []string {
	var out []string
	if *f.invalid {
		out = append(out, app.DeemInvalid)
	}
	if *f.pending {
		out = append(out, app.DeemPending)
	}
	if *f.duplicates {
		out = append(out, app.DeemDuplicate)
	}
	return out
}

func voteNew(e *env, args []string) error {
	fs := newFlags("vote new")
	title := fs.String("title", "", "title")
	matters := fs.String("matters", "", "matters file")
	deemed := fs.Bool("deemed", false, "the community's rules use the deemed-vote clause")
	rule := fs.String("rule", "", "the deemed-vote clause's wording")
	deem := addDeemFlags(fs)
	date := fs.String("date", "", "YYYY-MM-DD")
	from := fs.String("from", "", "first day of voting, YYYY-MM-DD")
	to := fs.String("to", "", "last day of voting, YYYY-MM-DD")
	as := asFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("多余的参数：%s", "unexpected arguments: %s", strings.Join(pos, " "))
	}
	if err := need("title", *title); err != nil {
		return err
	}
	if err := need("matters", *matters); err != nil {
		return err
	}
	if (*rule != "" || len(deem.list()) > 0) && !*deemed {
		return usageError("--rule 和 --deem-* 只能与 --deemed 一起使用", "--rule and --deem-* go with --deemed")
	}
	rows, err := reports.ReadSheet(*matters)
	if err != nil {
		return err
	}
	ms, err := app.ParseMatterRows(rows)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	a, err := svc.Votes.CreateAssembly(e.ctx, app.Assembly{Title: *title, Date: *date, VotingFrom: *from, VotingTo: *to, Matters: ms,
		Deemed: *deemed, Rule: *rule, DeemAlso: deem.list()}, who(*as))
	if err != nil {
		return err
	}
	for _, m := range a.Matters {
		fmt.Fprintf(e.stdout, "  %d. %s（%s）\n", m.No, m.Title, m.KindLabel())
	}
	if a.Deemed {
		fmt.Fprintln(e.stdout, "  "+deemedReading(a.DeemAlso))
	}
	fmt.Fprintf(e.stdout, app.T("已创建表决“%s”：%d 个事项，登记册 %d 个房号已冻结；编号 %s\n", "created the assembly %q: %d matters, register of %d units frozen; id %s\n"),
		a.Title, len(a.Matters), a.Units, a.ID)
	return nil
}

// deemedReading says in a line which units the deemed-vote rule deems.
func deemedReading(also []string) string {
	s := app.T("视为表决：有送达记录且未交回任何选票的房号", "deemed votes: delivered units that returned no ballot at all")
	for _, c := range also {
		s += app.T("，以及", "; also: ") + app.DeemCategoryLabel(c) + app.T("的房号", "")
	}
	return s
}

func voteSettings(e *env, args []string) error {
	fs := newFlags("vote settings")
	id := fs.String("vote", "", "vote id")
	deemed := fs.Bool("deemed", false, "the community's rules use the deemed-vote clause")
	noDeemed := fs.Bool("no-deemed", false, "the community's rules have no deemed-vote clause")
	rule := fs.String("rule", "", "the deemed-vote clause's wording")
	deem := addDeemFlags(fs)
	reason := fs.String("reason", "", "why the setting changes")
	as := asFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("多余的参数：%s", "unexpected arguments: %s", strings.Join(pos, " "))
	}
	if err := need("vote", *id); err != nil {
		return err
	}
	if *deemed == *noDeemed {
		return usageError("请用 --deemed 或 --no-deemed 指明是否适用视为表决条款（二选一）", "say --deemed or --no-deemed (one of them)")
	}
	if *noDeemed && (*rule != "" || len(deem.list()) > 0) {
		return usageError("--rule 和 --deem-* 只能与 --deemed 一起使用", "--rule and --deem-* go with --deemed")
	}
	if err := need("reason", *reason); err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	a, err := svc.Votes.SetDeemedRule(e.ctx, *id, *deemed, *rule, deem.list(), *reason, who(*as))
	if err != nil {
		return err
	}
	if a.Deemed {
		fmt.Fprintf(e.stdout, app.T("表决 %s 适用视为表决条款。%s\n", "vote %s applies the deemed-vote clause. %s\n"), a.ID, deemedReading(a.DeemAlso))
	} else {
		fmt.Fprintf(e.stdout, app.T("表决 %s 不适用视为表决条款\n", "vote %s does not apply the deemed-vote clause\n"), a.ID)
	}
	return nil
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
		return err
	}
	if err := svc.Votes.EnterBallots(e.ctx, ea.id, ea.entry, ballots, ea.replace, ea.who); err != nil {
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
	if _, err := parseArgs(fs, args, "vote"); err != nil {
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

func voteDeliver(e *env, args []string) error {
	fs := newFlags("vote deliver")
	id := fs.String("vote", "", "vote id")
	var units stringList
	fs.Var(&units, "unit", "unit (repeatable)")
	allUnits := fs.Bool("all", false, "every voting unit of the frozen register")
	date := fs.String("date", "", "YYYY-MM-DD")
	method := fs.String("method", "", "how it was delivered")
	evidence := fs.String("evidence", "", "what proves it")
	as := asFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	units = append(units, pos...)
	if err := need("vote", *id); err != nil {
		return err
	}
	if err := need("method", *method); err != nil {
		return err
	}
	if err := need("evidence", *evidence); err != nil {
		return err
	}
	if len(units) == 0 && !*allUnits {
		return usageError("请用 --unit 房号（可重复）或 --all 指明送达的房号", "name the units with --unit U (repeatable) or --all")
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if *date == "" {
		*date = svc.Now().Format("2006-01-02")
	}
	if *allUnits {
		rec, err := svc.Votes.VoteRecord(e.ctx, *id)
		if err != nil {
			return err
		}
		for _, u := range rec.Register {
			if app.VotingUnit(u, rec.Assembly.CountParking) {
				units = append(units, u.ID)
			}
		}
	}
	var ds []app.Delivery
	for _, u := range units {
		for _, one := range strings.Split(u, ",") {
			if one = strings.TrimSpace(one); one != "" {
				ds = append(ds, app.Delivery{Unit: one, Date: *date, Method: *method, Evidence: *evidence})
			}
		}
	}
	if err := svc.Votes.RecordDeliveries(e.ctx, *id, ds, who(*as)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已记录 %d 个房号的送达\n", "recorded delivery to %d units\n"), len(ds))
	return nil
}

func voteTally(e *env, args []string) error {
	fs := newFlags("vote tally")
	id := fs.String("vote", "", "vote id")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args, "vote")
	if err != nil {
		return err
	}
	t, err := svc.Votes.Tally(e.ctx, *id)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, t)
	}
	printTally(e, t)
	return nil
}

func yesNo(b bool) string {
	if b {
		return app.T("是", "yes")
	}
	return app.T("否", "no")
}

func passLabel(b bool) string {
	if b {
		return app.T("通过", "PASSED")
	}
	return app.T("未通过", "NOT PASSED")
}

func printTally(e *env, t app.Tally) {
	w := e.stdout
	fmt.Fprintf(w, "%s  %s  (%s)\n", t.Vote, t.Title, t.Date)
	fmt.Fprintf(w, app.T("总面积 %s m²，总人数 %d\n", "total area %s m², headcount %d\n"), t.Total.Area, t.Total.Heads)
	fmt.Fprintf(w, app.T("参与表决：面积 %s m²，人数 %d，计入选票 %d 张；达到参与比例：%s\n", "participating: area %s m², heads %d, counted ballots %d; quorum met: %s\n"),
		t.Participating.Area, t.Participating.Heads, t.Participating.Ballots, yesNo(t.QuorumMet))
	b, ac := t.Ballots, t.Accounting
	fmt.Fprintf(w, app.T("选票：发出 %d ＝ 收回 %d ＋ 未收回 %d；纸质选票 %d 张（另收 %d）＝ 有效 %d ＋ 无效 %d ＋ 待核对 %d；重复暂不计入 %d；录入A %d，录入B %d\n",
		"ballots: issued %d = returned %d + not returned %d; papers %d (%d extra) = valid %d + invalid %d + awaiting the third look %d; held back as duplicates %d; entry A %d, entry B %d\n"),
		ac.Issued, ac.Returned, ac.NotReturned, ac.Returned+ac.Extra, ac.Extra, b.Valid, b.Invalid, ac.Pending, b.Duplicates, b.EnteredA, b.EnteredB)
	for _, r := range sortedReasons(t.InvalidReasons) {
		fmt.Fprintf(w, app.T("  无效：%s %d 张\n", "  invalid: %s %d\n"), app.ReasonLabel(r), t.InvalidReasons[r])
	}
	an := t.Answered
	fmt.Fprintf(w, app.T("已交回但未计入的房号：无效票 %d 户 %s m²，待核对 %d 户 %s m²，重复暂不计入 %d 户 %s m²\n", "units that answered without a counted ballot: invalid %d (%s m²), awaiting the third look %d (%s m²), duplicates %d (%s m²)\n"),
		an.Invalid.Units, an.Invalid.Area, an.Pending.Units, an.Pending.Area, an.Duplicate.Units, an.Duplicate.Area)
	tw := newTable(w)
	fmt.Fprintln(tw, app.T("事项\t类型\t同意 面积/人数\t反对 面积/人数\t弃权 面积/人数\t待核定人数\t结果", "matter\tkind\tagree area/heads\toppose area/heads\tabstain area/heads\tawaiting ruling\tresult"))
	for _, m := range t.Matters {
		res := passLabel(m.Passed)
		if m.WithDeemed != nil {
			res += app.T("；含视为表决：", "; with deemed votes: ") + passLabel(m.WithDeemed.Passed)
		}
		fmt.Fprintf(tw, "%d. %s\t%s\t%s/%d\t%s/%d\t%s/%d\t%d\t%s\n", m.No, m.Title, app.Matter{Kind: m.Kind}.KindLabel(),
			m.Agree.Area, m.Agree.Heads, m.Oppose.Area, m.Oppose.Heads, m.Abstain.Area, m.Abstain.Heads, m.Undecided, res)
	}
	tw.Flush()
	if dt := t.DeemedTotals; dt != nil {
		dl := dt.Delivered
		fmt.Fprintln(w, deemedReading(dt.Also))
		fmt.Fprintf(w, app.T("含视为表决：有送达记录 %d 户（已计入 %d，未交回 %d，无效票 %d，待核对 %d，重复 %d），视为参与 %d 户 %s m²、新增 %d 人；参与面积 %s m²，人数 %d；达到参与比例：%s\n",
			"with deemed votes: %d units delivered (counted %d, no ballot %d, invalid %d, pending %d, duplicates %d), %d deemed, %s m², %d heads added; participating area %s m², heads %d; quorum met: %s\n"),
			dl.Units, dl.Counted, dl.NoBallot, dl.Invalid, dl.Pending, dl.Duplicate, dt.Units, dt.Area, dt.Heads, dt.Participating.Area, dt.Participating.Heads, yesNo(dt.QuorumMet))
	}
	for _, d := range t.Duplicates {
		fmt.Fprintf(w, app.T("待核定：房号 %s 有多张有效选票（票号 %s），全部暂不计入\n", "to decide: unit %s has several valid ballots (%s), all held back\n"), d.Unit, strings.Join(d.Ballots, ", "))
	}
	for _, c := range t.Conflicts {
		if c.Ruled {
			continue
		}
		fmt.Fprintf(w, app.T("待核定：%s（%s）的多张选票在事项 %d 上意见不一致（%s），人数暂不计入任何一方\n", "to decide: %s (%s): ballots disagree on matter %d (%s); the head counts on no side\n"),
			c.Name, strings.TrimPrefix(c.Person, "owner:"), c.Matter, strings.Join(c.Choices, "; "))
	}
	tw = newTable(w)
	fmt.Fprintln(tw, app.T("批次（楼栋）\t发出\t收回\t未收回\t另收\t有效\t无效\t待核对\t重复\t", "batch (building)\tissued\treturned\tnot returned\textra\tvalid\tinvalid\tpending\tduplicates\t"))
	for _, bc := range t.Batches {
		note := ""
		if bc.OverIssued {
			note = app.T("收回多于发出", "more returned than issued")
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", bc.Batch, bc.Issued, bc.Returned, bc.NotReturned, bc.Extra, bc.Valid, bc.Invalid, bc.Pending, bc.Duplicates, note)
	}
	tw.Flush()
	if len(t.Pending) > 0 {
		var ps []string
		for _, p := range t.Pending {
			ps = append(ps, p.No+" ("+p.Units()+")")
		}
		fmt.Fprintf(w, app.T("还有 %d 张选票未核对一致，已计为收回但未计入（vote diff 列出差异）：%s\n", "%d ballots are not reconciled: returned but not counted (vote diff lists the differences): %s\n"), len(t.Pending), strings.Join(ps, ", "))
	}
}

func sortedReasons(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func voteList(e *env, args []string) error {
	fs := newFlags("vote list")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	as, err := svc.Votes.Assemblies(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			ID      string       `json:"id"`
			Title   string       `json:"title"`
			Date    string       `json:"date"`
			Deemed  bool         `json:"deemed"`
			Also    []string     `json:"deem_also,omitempty"`
			Units   int          `json:"units"`
			Matters []app.Matter `json:"matters"`
		}
		out := make([]row, 0, len(as))
		for _, a := range as {
			out = append(out, row{a.ID, a.Title, a.Date, a.Deemed, a.DeemAlso, a.Units, a.Matters})
		}
		return printJSON(e.stdout, out)
	}
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, app.T("编号\t日期\t标题\t事项\t视为表决", "id\tdate\ttitle\tmatters\tdeemed"))
	for _, a := range as {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", a.ID, a.Date, a.Title, len(a.Matters), yesNo(a.Deemed))
	}
	return tw.Flush()
}

func reportTally(e *env, args []string) error {
	return reportOf(e, args, "tally", "vote", func(svc app.Services, name, head, id string) (*reports.Doc, error) {
		t, err := svc.Votes.Tally(e.ctx, id)
		if err != nil {
			return nil, err
		}
		return reports.AnnouncementDoc(name, t, head), nil
	})
}
