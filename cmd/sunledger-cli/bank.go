package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"sunledger/app"
	"sunledger/reports"
	"sunledger/sheet"
)

// The books meet the bank (docs/bank.md): statements imported, matched and reconciled.

func init() {
	register("bank import", "FILE --account ACCOUNT [--rules FILE] [--json]   "+app.T("导入银行对账单（CSV/XLSX；已导入的行跳过）", "import a bank statement (CSV/XLSX; lines already imported are skipped)"), bankImport)
	register("bank lines", "--account ACCOUNT [--json]   "+app.T("列出已导入的对账单行及其对应凭证", "list the imported statement lines and their matches"), bankLines)
	register("bank match", "--account ACCOUNT [--auto] [--batches] [--line N --entry SEQ[,SEQ...]] [--json]   "+app.T("对账：--auto 确认唯一匹配；--batches 确认建议的批量结算；--line/--entry 手工确认；其余列出待处理", "match statement lines to entries: --auto confirms the unique ones; --batches the proposed batch settlements; --line/--entry confirms by hand; the rest are listed"), bankMatch)
	register("bank unmatch", "--account ACCOUNT --line N --why REASON   "+app.T("撤销一行的对账", "undo a line's match"), bankUnmatch)
	register("bank post", "--account ACCOUNT --line N --to ACCOUNT [--desc D]   "+app.T("把账上没有的对账单行（利息、手续费）记账并对上", "book a statement line the books lack (interest, a charge) and match it"), bankPost)
	register("bank reconcile", "--account ACCOUNT --period YYYY-MM [--json] [--out FILE.pdf]   "+app.T("银行存款余额调节表（月末）", "the bank reconciliation at a month's end"), bankReconcile)
}

// bankAccountArg reads --account (app.ParseBankAccount).
func bankAccountArg(s string) string { return app.ParseBankAccount(s) }

func bankImport(e *env, args []string) error {
	fs := newFlags("bank import")
	account := fs.String("account", "", "bank account (e.g. 资产:物业服务资金:银行存款, or service)")
	rulesPath := fs.String("rules", "", "rules file (docs/bank.md)")
	as := asFlag(fs)
	why := whyFlag(fs)
	asJSON := jsonFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("用法：bank import 文件 --account 科目", "usage: bank import FILE --account ACCOUNT")
	}
	if err := needFlags(fs, "account"); err != nil {
		return err
	}
	var rules app.BankRules
	if *rulesPath != "" {
		b, err := os.ReadFile(*rulesPath)
		if err != nil {
			return app.Errorf(app.ENOTFOUND, "无法读取规则文件 %s：%v；没有导入任何内容", "cannot read the rules file %s: %v; nothing was imported", *rulesPath, err)
		}
		if rules, err = app.ParseBankRules(string(b)); err != nil {
			return err
		}
	}
	rows, err := sheet.Read(pos[0])
	if err != nil {
		return unchanged(err, "没有导入任何内容", "nothing was imported")
	}
	st, err := app.ParseStatement(pos[0], rows, rules)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	res, err := svc.Bank.ImportStatement(e.ctx, bankAccountArg(*account), st, who(*as), *why)
	if err != nil {
		return unchanged(err, "没有导入任何内容", "nothing was imported")
	}
	return e.printResult(*asJSON, res, func() error {
		if res.Added == 0 {
			fmt.Fprintf(e.stdout, app.T("%s：导入 0 行，没有新的行（%d 行以前已导入过，跳过）\n", "%s: imported 0 lines, none is new (%d were imported before and skipped)\n"), res.Account, res.Skipped)
			return nil
		}
		fmt.Fprintf(e.stdout, app.T("%s：导入 %d 行（%s 至 %s），%d 行以前已导入过，跳过\n", "%s: imported %d lines (%s to %s); %d were imported before and skipped\n"),
			res.Account, res.Added, res.From, res.To, res.Skipped)
		return nil
	})
}

type bankLineJSON struct {
	Line         int64   `json:"line"`
	Date         string  `json:"date"`
	Description  string  `json:"description,omitempty"`
	In           string  `json:"in"`
	Out          string  `json:"out"`
	Balance      string  `json:"balance"`
	Counterparty string  `json:"counterparty,omitempty"`
	Serial       string  `json:"serial,omitempty"`
	Entries      []int64 `json:"entries"`
}

func lineJSON(l app.StatementLine) bankLineJSON {
	es := l.Entries
	if es == nil {
		es = []int64{}
	}
	return bankLineJSON{Line: l.N, Date: l.Date, Description: l.Description, In: app.PlainAmount(l.In()), Out: app.PlainAmount(l.Out()),
		Balance: app.PlainAmount(l.Balance), Counterparty: l.Counterparty, Serial: l.Serial, Entries: es}
}

func bankLines(e *env, args []string) error {
	fs := newFlags("bank lines")
	account := fs.String("account", "", "bank account")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args, "account")
	if err != nil {
		return err
	}
	ls, err := svc.Bank.StatementLines(e.ctx, bankAccountArg(*account))
	if err != nil {
		return err
	}
	out := make([]bankLineJSON, 0, len(ls))
	for _, l := range ls {
		out = append(out, lineJSON(l))
	}
	return e.printResult(*asJSON, out, func() error {
		tw := newTable(e.stdout)
		for _, l := range ls {
			m := app.T("未对账", "unmatched")
			if len(l.Entries) > 0 {
				m = "#" + joinSeq(l.Entries)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", l.N, l.Date, app.PlainAmount(l.Amount), app.PlainAmount(l.Balance), l.Description, m)
		}
		return tw.Flush()
	})
}

func joinSeq(seqs []int64) string {
	s := make([]string, len(seqs))
	for i, q := range seqs {
		s[i] = strconv.FormatInt(q, 10)
	}
	return strings.Join(s, ",#")
}

func parseSeqs(s string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(f), "#"), 10, 64)
		if err != nil || n <= 0 {
			return nil, usageError("凭证号 %q 应为正整数，多个用逗号分隔", "entry number %q should be a positive whole number (several: comma-separated)", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func bankMatch(e *env, args []string) error {
	fs := newFlags("bank match")
	account := fs.String("account", "", "bank account")
	auto := fs.Bool("auto", false, "confirm every line that matches exactly one entry of the same amount within 7 days")
	batches := fs.Bool("batches", false, "also confirm every proposed batch settlement (one credit = one day's receipts)")
	line := fs.Int64("line", 0, "statement line to confirm")
	entry := fs.String("entry", "", "entry number(s) the line matches, comma-separated")
	as := asFlag(fs)
	why := whyFlag(fs)
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args, "account")
	if err != nil {
		return err
	}
	acct := bankAccountArg(*account)
	type confirmed struct {
		Line    int64   `json:"line"`
		Entries []int64 `json:"entries"`
	}
	type open struct {
		bankLineJSON
		Candidates []int64 `json:"candidates"`
		Batch      []int64 `json:"batch,omitempty"`
		Suggest    string  `json:"suggest,omitempty"`
	}
	var res struct {
		Account   string      `json:"account"`
		Confirmed []confirmed `json:"confirmed"`
		Unmatched []open      `json:"unmatched"`
	}
	res.Account, res.Confirmed, res.Unmatched = acct, []confirmed{}, []open{}
	if (*line != 0) != (*entry != "") {
		return usageError("--line 和 --entry 要一起给出", "--line and --entry go together")
	}
	if *line != 0 {
		seqs, err := parseSeqs(*entry)
		if err != nil {
			return err
		}
		if err := svc.Bank.ConfirmMatch(e.ctx, acct, *line, seqs, who(*as), *why); err != nil {
			return err
		}
		res.Confirmed = append(res.Confirmed, confirmed{*line, seqs})
	}
	lines, err := svc.Bank.StatementLines(e.ctx, acct)
	if err != nil {
		return err
	}
	items, err := app.MatchItems(e.ctx, svc.Bank, acct, lines)
	if err != nil {
		return err
	}
	props, taken := app.ProposeMatches(lines, items, *auto)
	accts, err := svc.Chart.Accounts(e.ctx)
	if err != nil {
		return err
	}
	var sure []app.LineMatch
	for i, p := range props {
		switch {
		case taken[i]:
			sure = append(sure, app.LineMatch{Line: p.Line.N, Entries: []int64{p.Candidates[0].Seq}})
		case *batches && len(p.Batch) > 0:
			m := app.LineMatch{Line: p.Line.N}
			for _, it := range p.Batch {
				m.Entries = append(m.Entries, it.Seq)
			}
			sure = append(sure, m)
			taken[i] = true
		}
	}
	if _, err := svc.Bank.ConfirmMatches(e.ctx, acct, sure, who(*as), *why); err != nil {
		return err
	}
	for _, m := range sure {
		res.Confirmed = append(res.Confirmed, confirmed{m.Line, m.Entries})
	}
	for i, p := range props {
		if taken[i] {
			continue
		}
		o := open{bankLineJSON: lineJSON(p.Line), Candidates: []int64{}}
		for _, c := range p.Candidates {
			o.Candidates = append(o.Candidates, c.Seq)
		}
		for _, c := range p.Batch {
			o.Batch = append(o.Batch, c.Seq)
		}
		switch {
		case len(o.Batch) > 0:
			o.Suggest = fmt.Sprintf("bank match --account %s --line %d --entry %s", acct, p.Line.N, strings.ReplaceAll(joinSeq(o.Batch), "#", ""))
		case len(o.Candidates) == 0:
			o.Suggest = fmt.Sprintf("bank post --account %s --line %d --to %s", acct, p.Line.N, app.BookLineAgainst(acct, p.Line, accts, app.T("科目", "ACCOUNT")))
		}
		res.Unmatched = append(res.Unmatched, o)
	}
	return e.printResult(*asJSON, res, func() error {
		for _, c := range res.Confirmed {
			fmt.Fprintf(e.stdout, app.T("已对账：第 %d 行 = 凭证 #%s\n", "matched: line %d = entry #%s\n"), c.Line, joinSeq(c.Entries))
		}
		if len(res.Unmatched) == 0 {
			fmt.Fprintln(e.stdout, app.T("全部对账单行都已对上", "every statement line is matched"))
			return nil
		}
		fmt.Fprintf(e.stdout, app.T("待处理 %d 行：\n", "%d lines to look at:\n"), len(res.Unmatched))
		for _, o := range res.Unmatched {
			amount := o.In
			if o.Out != "0.00" {
				amount = "-" + o.Out
			}
			fmt.Fprintf(e.stdout, "  %d\t%s\t%s\t%s %s\n", o.Line, o.Date, amount, o.Description, o.Counterparty)
			switch {
			case len(o.Candidates) > 0:
				fmt.Fprintf(e.stdout, app.T("\t可能是凭证 #%s：确认用 bank match --account %s --line %d --entry 凭证号\n", "\tcould be entry #%s: confirm with bank match --account %s --line %d --entry SEQ\n"), joinSeq(o.Candidates), acct, o.Line)
			case o.Suggest != "":
				fmt.Fprintf(e.stdout, app.T("\t建议：%s\n", "\tsuggested: %s\n"), o.Suggest)
			}
		}
		return nil
	})
}

func bankUnmatch(e *env, args []string) error {
	fs := newFlags("bank unmatch")
	account := fs.String("account", "", "bank account")
	line := fs.String("line", "", "statement line")
	as := asFlag(fs)
	why := fs.String("why", "", "reason")
	svc, err := e.parseOpen(fs, args, "account", "line", "why")
	if err != nil {
		return err
	}
	n, err := strconv.ParseInt(*line, 10, 64)
	if err != nil {
		return usageError("--line 应为行号", "--line takes a line number")
	}
	if err := svc.Bank.Unmatch(e.ctx, bankAccountArg(*account), n, who(*as), *why); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("第 %d 行的对账已撤销\n", "line %d is unmatched\n"), n)
	return nil
}

func bankPost(e *env, args []string) error {
	fs := newFlags("bank post")
	account := fs.String("account", "", "bank account")
	line := fs.String("line", "", "statement line")
	to := fs.String("to", "", "the other account (e.g. 收入:公共收益:利息)")
	desc := fs.String("desc", "", "description (default: booked from the bank statement)")
	as := asFlag(fs)
	why := whyFlag(fs)
	svc, err := e.parseOpen(fs, args, "account", "line", "to")
	if err != nil {
		return err
	}
	n, err := strconv.ParseInt(*line, 10, 64)
	if err != nil {
		return usageError("--line 应为行号", "--line takes a line number")
	}
	en, err := svc.Bank.PostLine(e.ctx, bankAccountArg(*account), n, strings.TrimSpace(*to), *desc, who(*as), *why)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已按对账单第 %d 行记账并对上，凭证号 %d\n", "line %d booked and matched, entry %d\n"), n, en.Seq)
	return nil
}

// reconciliationJSON is `bank reconcile --json` (docs/formats.md): amounts as decimal
// strings with two decimals.
type reconciliationJSON struct {
	Account      string    `json:"account"`
	Period       string    `json:"period"`
	BookBalance  string    `json:"book_balance"`
	BankBalance  string    `json:"bank_balance"`
	BookNotBank  inOutJSON `json:"book_not_bank"`
	BankNotBook  inOutJSON `json:"bank_not_book"`
	AdjustedBook string    `json:"adjusted_book"`
	AdjustedBank string    `json:"adjusted_bank"`
	Difference   string    `json:"difference"`
}

type inOutJSON struct {
	In  string `json:"in"`
	Out string `json:"out"`
}

func bankReconcile(e *env, args []string) error {
	fs := newFlags("bank reconcile")
	account := fs.String("account", "", "bank account")
	period := fs.String("period", "", "YYYY-MM (or a quarter YYYYQn: its last month)")
	out := fs.String("out", "", "also print the statement to FILE.pdf")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args, "account", "period")
	if err != nil {
		return err
	}
	month, err := app.ParseReconcilePeriod(*period)
	if err != nil {
		return err
	}
	r, err := svc.Bank.Reconcile(e.ctx, bankAccountArg(*account), month)
	if err != nil {
		return err
	}
	if *out != "" {
		// the registry's document, as `report bank-reconcile` and the window make it
		doc, err := reports.Make(e.ctx, svc, "bank-reconcile", reports.Args{Account: *account, Period: month})
		if err != nil {
			return err
		}
		if err := saveDoc(e, "bank reconcile "+month, doc, *out); err != nil {
			return err
		}
	}
	p := app.PlainAmount
	j := reconciliationJSON{Account: r.Account, Period: r.Period, BookBalance: p(r.BookBalance), BankBalance: p(r.BankBalance),
		BookNotBank: inOutJSON{p(r.BookNotBank.In), p(r.BookNotBank.Out)}, BankNotBook: inOutJSON{p(r.BankNotBook.In), p(r.BankNotBook.Out)},
		AdjustedBook: p(r.AdjustedBook), AdjustedBank: p(r.AdjustedBank), Difference: p(r.Difference)}
	return e.printResult(*asJSON, j, func() error {
		fmt.Fprintf(e.stdout, app.T("银行存款余额调节表 %s %s（截至 %s）\n", "bank reconciliation %s %s (as at %s)\n"), r.Account, r.Period, app.MonthEnd(r.Period))
		tw := newTable(e.stdout)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", app.T("账面余额", "book balance"), j.BookBalance, app.T("银行对账单余额", "bank balance"), j.BankBalance)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", app.T("加：银行已收、账上未收", "add: at the bank, not in the books"), j.BankNotBook.In, app.T("加：账上已收、银行未收", "add: in the books, not at the bank"), j.BookNotBank.In)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", app.T("减：银行已付、账上未付", "less: paid by the bank, not in the books"), j.BankNotBook.Out, app.T("减：账上已付、银行未付", "less: paid in the books, not by the bank"), j.BookNotBank.Out)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", app.T("调节后余额", "adjusted"), j.AdjustedBook, app.T("调节后余额", "adjusted"), j.AdjustedBank)
		if err := tw.Flush(); err != nil {
			return err
		}
		if r.Difference.IsZero() {
			fmt.Fprintln(e.stdout, app.T("差额 0.00：账实相符", "difference 0.00: the books agree with the bank"))
		} else {
			fmt.Fprintf(e.stdout, app.T("未解释的差额 %s：本期不能锁定\n", "unexplained difference %s: the period cannot be locked\n"), j.Difference)
		}
		for _, it := range r.BookOnly {
			fmt.Fprintf(e.stdout, app.T("  账上有、银行无：凭证 #%d %s %s %s\n", "  in the books only: entry #%d %s %s %s\n"), it.Seq, it.Date, p(it.Amount), it.Description)
		}
		for _, l := range r.BankOnly {
			fmt.Fprintf(e.stdout, app.T("  银行有、账上无：第 %d 行 %s %s %s\n", "  at the bank only: line %d %s %s %s\n"), l.N, l.Date, p(l.Amount), l.Description)
		}
		if *out != "" {
			saved(e, *out)
		}
		return nil
	})
}
