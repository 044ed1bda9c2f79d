package main

import (
	"flag"
	"fmt"
	"strings"

	"sunledger/app"
	"sunledger/sheet"
)

// Assemblies of the owners (docs/votes.md): a new assembly, its deemed-vote settings,
// ballot delivery and the list. The paper ballots are in ballots.go, the result in tally.go.

func init() {
	register("vote new", "--title T --matters FILE [--deemed [--rule TEXT] [--deem-invalid] [--deem-pending] [--deem-duplicates]] [--date YYYY-MM-DD] [--from YYYY-MM-DD --to YYYY-MM-DD]   "+app.T("创建业主大会表决（冻结当前登记册），输出编号", "create an assembly (freezes the register); prints its id"), voteNew)
	register("vote settings", "--vote ID (--deemed|--no-deemed) [--rule TEXT] [--deem-invalid] [--deem-pending] [--deem-duplicates] --reason TEXT   "+app.T("更改视为表决设置（记入审计日志）", "change the deemed-vote setting (audited)"), voteSettings)
	register("vote deliver", "--vote ID (--unit U... | --all) --date YYYY-MM-DD --method M --evidence TEXT   "+app.T("记录选票送达证据（视为表决规则用）", "record ballot delivery evidence (deemed-vote rule)"), voteDeliver)
	register("vote list", "[--json]   "+app.T("所有表决", "all assemblies"), voteList)
}

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
	if err := parseStrict(fs, args, "title", "matters"); err != nil {
		return err
	}
	if (*rule != "" || len(deem.list()) > 0) && !*deemed {
		return usageError("--rule 和 --deem-* 只能与 --deemed 一起使用", "--rule and --deem-* go with --deemed")
	}
	rows, err := sheet.Read(*matters)
	if err != nil {
		return err
	}
	ms, err := app.ParseMatterRows(rows)
	if err != nil {
		return unchanged(err, "没有创建大会", "no assembly was created")
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if *deemed && strings.TrimSpace(*rule) == "" {
		if *rule, err = settingsRule(e, svc); err != nil {
			return err
		}
	}
	a, err := svc.Votes.CreateAssembly(e.ctx, app.Assembly{Title: *title, Date: *date, VotingFrom: *from, VotingTo: *to, Matters: ms,
		Deemed: *deemed, Rule: *rule, DeemAlso: deem.list()}, who(*as))
	if err != nil {
		return err
	}
	bals, err := svc.Ledger.Balances(e.ctx)
	if err != nil {
		return err
	}
	for _, m := range a.Matters {
		fmt.Fprintf(e.stdout, "  %d. %s（%s）\n", m.No, m.Title, m.KindLabel())
		if m.Item != 0 {
			fmt.Fprintf(e.stdout, "     %s\n", m.ItemLabel())
		}
		if m.Fund != "" || len(m.Scope) > 0 {
			fmt.Fprintf(e.stdout, app.T("     范围：%s", "     scope: %s"), app.ScopeLabel(m.Scope))
			if m.Fund != "" {
				fmt.Fprintf(e.stdout, app.T("；资金：%s", "; fund: %s"), m.Fund.Label())
			}
			if !m.Cap.IsZero() {
				fmt.Fprintf(e.stdout, app.T("；限额：%s", "; cap: %s"), app.FormatAmount(m.Cap))
			}
			fmt.Fprintln(e.stdout)
		}
		if !m.Cap.IsZero() {
			if held := app.FundHeld(m.Fund, bals); m.Cap.GreaterThan(held) {
				fmt.Fprintf(e.stdout, app.T("     注意：事项 %d 的限额 %s 超过%s现有余额 %s，超出 %s；支付前须先筹足资金\n", "     warning: matter %d's cap %s is above the %s's balance %s by %s; the money must be there before it is paid\n"),
					m.No, app.FormatAmount(m.Cap), m.Fund.Label(), app.FormatAmount(held), app.FormatAmount(m.Cap.Sub(held)))
			}
		}
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
	if err := parseStrict(fs, args); err != nil {
		return err
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
	if *deemed && strings.TrimSpace(*rule) == "" {
		// Without --rule the assembly keeps the wording it has, else the one in settings.
		rec, err := svc.Votes.VoteRecord(e.ctx, *id)
		if err != nil {
			return err
		}
		if *rule = rec.Assembly.Rule; strings.TrimSpace(*rule) == "" {
			if *rule, err = settingsRule(e, svc); err != nil {
				return err
			}
		}
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
	if err := needFlags(fs, "vote", "method", "evidence"); err != nil {
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
		*date = svc.Now().Format(app.DateLayout)
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

// settingsRule is the deemed-vote clause recorded with `settings --deemed-rule`; an
// assembly applying the clause without --rule quotes it. Without one it is refused:
// the program never words the community's rules itself.
func settingsRule(e *env, svc app.Services) (string, error) {
	c, err := svc.Book.Community(e.ctx)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(c.Notices.DeemedRule) == "" {
		return "", usageError("适用视为表决条款须照录本小区议事规则中该条款的原文：请用 --rule 给出，或先用 settings --deemed-rule 登记；没有创建或更改大会",
			"the deemed-vote clause needs the wording of the community's own rules, verbatim: give it with --rule, or record it once with settings --deemed-rule; no assembly was created or changed")
	}
	return c.Notices.DeemedRule, nil
}
