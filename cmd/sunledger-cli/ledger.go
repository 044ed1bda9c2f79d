package main

import (
	"bufio"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"

	"sunledger/app"
	"sunledger/internal/atomicfile"
	"sunledger/reports"
)

func init() {
	register("ledger balance", "[--json]   "+app.T("各科目余额", "balance of every account"), ledgerBalance)
	register("ledger export", "--format ledger [--out FILE]   "+app.T("导出 ledger-cli/hledger 格式的全部凭证", "the whole journal as a ledger-cli/hledger journal"), ledgerExport)
	register("ledger list", "[--from N] [--limit N] [--json]   "+app.T("列出凭证", "list journal entries"), ledgerList)
	register("ledger reverse", "--seq N --why REASON [--date YYYY-MM-DD]   "+app.T("冲销一张凭证", "reverse a journal entry"), ledgerReverse)
	register("ledger lock", "--through YYYY-MM [--override --why REASON]   "+app.T("公示后锁定账期（银行对账有未解释差额时拒绝，--override 写明原因后仍可锁定）", "lock the periods through a month after disclosure (refused while a bank reconciliation shows an unexplained difference, unless --override with a reason)"), ledgerLock)
	register("ledger accounts", "[--json]   "+app.T("科目表", "the chart of accounts"), ledgerAccounts)
	register("ledger add-account", "--name 类型:资金:名称 [--label L]   "+app.T("增加科目", "add an account to the chart"), ledgerAddAccount)
	register("ledger post", "--desc D --post 科目=金额 --post 科目=金额 ... [--date YYYY-MM-DD] [--why W]   "+app.T("手工记一张借贷平衡的凭证（如期初余额、银行手续费）", "post a balanced manual entry (opening balances, bank charges)"), ledgerPost)
	register("verify", "   "+app.T("检查凭证哈希链和全部余额", "check the hash chain and every balance"), verify)
	register("income add", "--fund public|maintenance --kind KIND --amount A [--date YYYY-MM-DD] [--method bank|cash] [--payer P] [--desc D] [--unit U]   "+app.T("记录公共收益或维修资金收入", "record public or maintenance-fund income"), incomeAdd)
}

func ledgerBalance(e *env, args []string) error {
	fs := newFlags("ledger balance")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	bals, err := svc.Ledger.Balances(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			Account string `json:"account"`
			Balance string `json:"balance"`
		}
		out := make([]row, 0, len(bals))
		for _, b := range bals {
			out = append(out, row{b.Account, app.PlainAmount(b.Balance)})
		}
		return printJSON(e.stdout, out)
	}
	tw := newTable(e.stdout)
	for _, b := range bals {
		fmt.Fprintf(tw, "%s\t%16s\n", b.Account, app.PlainAmount(b.Balance))
	}
	return tw.Flush()
}

func ledgerExport(e *env, args []string) error {
	fs := newFlags("ledger export")
	format := fs.String("format", "ledger", "ledger")
	out := fs.String("out", "", "file (default stdout)")
	if err := parseStrict(fs, args); err != nil {
		return err
	}
	if *format != "ledger" && *format != "hledger" {
		return usageError("未知的导出格式 %q：目前支持 ledger", "unknown export format %q: use ledger", *format)
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	c, err := svc.Book.Community(e.ctx)
	if err != nil {
		return err
	}
	head, _, err := svc.Ledger.Head(e.ctx)
	if err != nil {
		return err
	}
	accts, err := svc.Chart.Accounts(e.ctx)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		err := reports.WriteJournal(bw, c.Name, head, accts, func(fn func(app.Entry) error) error { return svc.Ledger.EachEntry(e.ctx, fn) })
		if err == nil {
			err = bw.Flush()
		}
		return err
	}
	if *out != "" {
		// Written whole under a temporary name, then renamed (docs/resume.md "Files").
		err = atomicfile.Write(*out, write)
	} else {
		err = write(e.stdout)
	}
	if err != nil {
		return app.Internal(err)
	}
	return nil
}

func ledgerList(e *env, args []string) error {
	fs := newFlags("ledger list")
	from := fs.Int64("from", 1, "first entry number")
	limit := fs.Int("limit", 0, "at most this many (0 = all)")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	es, err := svc.Ledger.Entries(e.ctx, *from, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		if es == nil {
			es = []app.Entry{}
		}
		return printJSON(e.stdout, es)
	}
	for _, en := range es {
		fmt.Fprintf(e.stdout, "#%d\t%s\t%s\t%s\n", en.Seq, en.Date, en.Description, en.Ref)
		for _, p := range en.Postings {
			fmt.Fprintf(e.stdout, "\t%s\t%s\n", p.Account, app.PlainAmount(p.Amount))
		}
	}
	return nil
}

func ledgerReverse(e *env, args []string) error {
	fs := newFlags("ledger reverse")
	seq := fs.String("seq", "", "entry number")
	why := fs.String("why", "", "reason")
	date := fs.String("date", "", "YYYY-MM-DD (default today)")
	as := asFlag(fs)
	if err := parseStrict(fs, args, "seq", "why"); err != nil {
		return err
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(*seq), "#"), 10, 64)
	if err != nil || n <= 0 {
		return app.Errorf(app.EINVALID, "凭证号 %q 应为正整数", "entry number %q should be a positive whole number", *seq)
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	r, err := svc.Ledger.Reverse(e.ctx, n, strings.TrimSpace(*date), who(*as), *why)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已用凭证 #%d 冲销凭证 #%d\n", "entry #%[2]d reversed by entry #%[1]d\n"), r.Seq, n)
	fmt.Fprintf(e.stdout, "%d\n", r.Seq)
	return nil
}

func ledgerLock(e *env, args []string) error {
	fs := newFlags("ledger lock")
	through := fs.String("through", "", "YYYY-MM")
	as := asFlag(fs)
	why := fs.String("why", "", "reason (e.g. the disclosure)")
	override := fs.Bool("override", false, "lock even though a bank reconciliation shows an unexplained difference (needs --why)")
	svc, err := e.parseOpen(fs, args, "through")
	if err != nil {
		return err
	}
	lock := svc.Chart.Lock
	if *override {
		lock = svc.Chart.LockOverriding
	}
	if err := lock(e.ctx, strings.TrimSpace(*through), who(*as), *why); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("账期已锁定至 %s\n", "periods locked through %s\n"), strings.TrimSpace(*through))
	return nil
}

func ledgerAccounts(e *env, args []string) error {
	fs := newFlags("ledger accounts")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	accts, err := svc.Chart.Accounts(e.ctx)
	if err != nil {
		return err
	}
	return e.printResult(*asJSON, accts, func() error {
		for _, a := range accts {
			fmt.Fprintf(e.stdout, "%s\t%s\n", a.Name, a.Label)
		}
		return nil
	})
}

func ledgerAddAccount(e *env, args []string) error {
	fs := newFlags("ledger add-account")
	name := fs.String("name", "", "TYPE:FUND:NAME")
	label := fs.String("label", "", "description")
	as := asFlag(fs)
	why := fs.String("why", "", "reason")
	svc, err := e.parseOpen(fs, args, "name")
	if err != nil {
		return err
	}
	a := app.Account{Name: strings.TrimSpace(*name), Label: *label}
	if err := svc.Chart.AddAccount(e.ctx, a, who(*as), *why); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已增加科目 %s\n", "added account %s\n"), a.Name)
	return nil
}

func verify(e *env, args []string) error {
	fs := newFlags("verify")
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	if db, err := e.open(); err == nil {
		db.ReadingThrough() // verify reads the book through once: a small block cache
	}
	// Approved requests are signed: an edit behind the program's back breaks a
	// signature. They, and the money's own warnings (docs/bank.md: the books hold, but
	// cash or the bank wants attention), are read beside the ledger's check, which
	// leaves a core free at its end.
	var expensesErr, warningsErr error
	var warnings []string
	aside := make(chan struct{})
	go func() {
		defer close(aside)
		if expensesErr = svc.Expenses.VerifyExpenses(e.ctx); expensesErr == nil {
			warnings, warningsErr = app.CashBoxWarnings(e.ctx, svc, svc.Now().Local().Format(app.DateLayout), 0)
		}
	}()
	// verify reads the whole book once and keeps little: letting the heap grow to three
	// times what is live, not twice, saves a sixth of the collector's work (0.25 s of
	// CPU on the 3,000-unit 10-year demo, for 85 MB more; docs/record-log.md, "Cost").
	debug.SetGCPercent(200)
	err = svc.Ledger.Verify(e.ctx)
	<-aside
	if err != nil {
		return err
	}
	if expensesErr != nil {
		return expensesErr
	}
	head, n, err := svc.Ledger.Head(e.ctx)
	if err != nil {
		return err
	}
	if n == 0 { // no entry yet: no head hash to print
		fmt.Fprintln(e.stdout, app.T("账本完整：还没有凭证，全部记录与记录链核对无误", "the books hold: no entries yet, and every record checks out against the record log"))
		return nil
	}
	fmt.Fprintf(e.stdout, app.T("账本完整：%d 张凭证的哈希链和全部余额核对无误\n最新哈希 %s\n", "the books hold: the hash chain of %d entries and every balance check out\nhead %s\n"), n, head)
	if th, err := svc.Log.TreeHead(e.ctx); err == nil {
		fmt.Fprintf(e.stdout, app.T("记录树 %s（未签名；下一份快照的检查点签署它）\n", "record tree %s (unsigned; the next snapshot's checkpoint signs it)\n"), th.Short())
	}
	if warningsErr != nil {
		return warningsErr
	}
	for _, w := range warnings {
		fmt.Fprintln(e.stdout, app.T("警告：", "warning: ")+w)
	}
	return nil
}

func incomeAdd(e *env, args []string) error {
	fs := newFlags("income add")
	fund := fs.String("fund", "public", "public|maintenance")
	kind := fs.String("kind", "", "parking|advertising|rent|other|interest|deposit")
	amount := fs.String("amount", "", "amount")
	date := fs.String("date", "", "YYYY-MM-DD")
	method := fs.String("method", "bank", "bank|cash")
	payer := fs.String("payer", "", "who paid")
	desc := fs.String("desc", "", "description")
	unit := fs.String("unit", "", "the unit a maintenance-fund deposit is for")
	as := asFlag(fs)
	why := whyFlag(fs)
	if err := parseStrict(fs, args, "kind", "amount"); err != nil {
		return err
	}
	f, amt, err := parseFundAmount(*fund, *amount)
	if err != nil {
		return err
	}
	in := app.Income{Fund: f, Kind: *kind, Amount: amt, Date: strings.TrimSpace(*date), Method: app.PaymentMethod(*method), Payer: *payer, Description: *desc, Unit: app.NormalizeUnitID(*unit)}
	if _, err := in.Validate(); err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	en, err := svc.Income.RecordIncome(e.ctx, in, who(*as), *why)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已记入 %s %s，凭证号 %d\n", "recorded %s %s, entry %d\n"), en.Description, app.FormatAmount(amt), en.Seq)
	return nil
}

// postingFlags collects repeated --post ACCOUNT=AMOUNT flags.
type postingFlags []string

func (p *postingFlags) String() string     { return strings.Join(*p, ",") }
func (p *postingFlags) Set(v string) error { *p = append(*p, v); return nil }

func ledgerPost(e *env, args []string) error {
	fs := newFlags("ledger post")
	desc := fs.String("desc", "", "description")
	date := fs.String("date", "", "YYYY-MM-DD (default today)")
	ref := fs.String("ref", "", "what caused it (voucher number, contract)")
	as := asFlag(fs)
	why := fs.String("why", "", "reason")
	var posts postingFlags
	fs.Var(&posts, "post", "ACCOUNT=AMOUNT (debit positive, credit negative); repeat")
	if err := parseStrict(fs, args, "desc"); err != nil {
		return err
	}
	en := app.Entry{Date: strings.TrimSpace(*date), Description: strings.TrimSpace(*desc), Ref: strings.TrimSpace(*ref)}
	for _, p := range posts {
		acct, amt, ok := strings.Cut(p, "=")
		if !ok {
			return app.Errorf(app.EINVALID, "--post %q 应写成 科目=金额，例如 资产:公共收益:银行存款=100.00", "--post %q should be ACCOUNT=AMOUNT, e.g. 资产:公共收益:银行存款=100.00", p)
		}
		d, err := app.ParseAmount(amt)
		if err != nil {
			return err
		}
		en.Postings = append(en.Postings, app.Posting{Account: strings.TrimSpace(acct), Amount: d})
	}
	if en.Date != "" {
		if err := app.ValidDate(en.Date); err != nil {
			return err
		}
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	r, err := svc.Ledger.Post(e.ctx, en, who(*as), *why)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已记账，凭证号 %d\n", "posted, entry %d\n"), r.Seq)
	return nil
}
