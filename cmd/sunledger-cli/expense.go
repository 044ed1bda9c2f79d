package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sunledger/app"
)

func init() {
	register("expense apply", "--as NAME --fund service|public|maintenance --category CAT --payee P --amount A --desc D [--invoice NO] [--attach FILE]... [--budget-line YEAR:FUND:CAT] [--vote ID --matter N] [--building B] [--stages advance=30%,acceptance=65%,retention=5%:YYYY-MM-DD]   "+app.T("物业提交支出申请，输出申请编号；维修资金可分期支付（预付款、验收款、质保金到期日）", "a request by the property company's clerk; prints its id; a maintenance-fund request may be paid in stages (advance, acceptance, retention held until its date)"), expenseApply)
	register("expense approve", "--as NAME --id ID [--passphrase-file F]   "+app.T("业委会成员联签（需要本人口令；需两位不同成员）", "a committee member's signature (needs their passphrase; two distinct members needed)"), expenseStep(app.StepApprove))
	register("expense review", "--as NAME --id ID [--passphrase-file F]   "+app.T("社区复核", "the community's re-review"), expenseStep(app.StepReview))
	register("expense pay", "--as NAME --id ID [--stage advance|acceptance|retention] [--date YYYY-MM-DD] [--passphrase-file F]   "+app.T("支付已完成审批的申请（分期的申请每次付一个阶段）并记账；支付人须为财务委员，且不是申请人或联签人", "pays a fully approved request (a staged one, one stage at a time) and posts the journal entry; NAME is a treasurer who is neither the applicant nor one of the approvers"), expenseStep(app.StepPay))
	register("expense accept", "--as NAME --id ID [--date YYYY-MM-DD] [--passphrase-file F]   "+app.T("分期支付的申请验收签字（业委会成员或社区复核人；预付款付清之后）", "signs the acceptance (验收) of a staged request's work (a committee member or the reviewer; after the advance is paid)"), expenseStep(app.StepAccept))
	register("expense reject", "--as NAME --id ID --reason R [--passphrase-file F]   "+app.T("在任一步驳回申请", "stops a request at any step"), expenseStep(app.StepReject))
	register("expense list", "[--json] [--state S] [--fund F]   "+app.T("支出申请及其状态和签名", "requests with their state and signatures"), expenseList)
	register("expense show", "--id ID [--json]   "+app.T("一份支出申请的全部内容", "one request in full"), expenseShow)
	register("expense attachment", "--id ID [--n N] --out FILE   "+app.T("取出申请的附件", "save a request's attachment"), expenseAttachment)
	register("expense rules", "[--review-above A]   "+app.T("查看或设置需要社区复核的金额起点（0 = 全部复核）", "show or set the amount above which the community re-reviews (0 = always)"), expenseRules)
	register("expense verify", "   "+app.T("核对全部支出申请的签名、状态、支付凭证和附件", "check every request's signatures, state, payment entry and attachments"), expenseVerify)
}

func expenseApply(e *env, args []string) error {
	fs := newFlags("expense apply")
	as := fs.String("as", "", "applicant")
	fund := fs.String("fund", "", "service|public|maintenance")
	category := fs.String("category", "", "expense category")
	payee := fs.String("payee", "", "payee")
	amount := fs.String("amount", "", "amount")
	desc := fs.String("desc", "", "description")
	invoice := fs.String("invoice", "", "the invoice's number (发票号码)")
	line := fs.String("budget-line", "", "YEAR:FUND:CATEGORY")
	vote := fs.String("vote", "", "the owners' vote that allows a maintenance-fund expense")
	matter := fs.Int("matter", 0, "the vote's matter number")
	building := fs.String("building", "", "building (maintenance fund)")
	stages := fs.String("stages", "", "payment plan, e.g. advance=30%,acceptance=65%,retention=5%:2027-11-01")
	pf := fs.String("passphrase-file", "", "file holding the applicant's passphrase (optional: signs the application)")
	var attach stringList
	fs.Var(&attach, "attach", "file (repeatable)")
	if err := parseStrict(fs, args, "as", "fund", "category", "payee", "amount", "desc"); err != nil {
		return err
	}
	amt, err := app.ParseAmount(*amount)
	if err != nil {
		return err
	}
	r := app.ExpenseRequest{Fund: app.Fund(*fund), Category: *category, BudgetLine: *line, Payee: *payee, Amount: amt,
		Description: *desc, Invoice: *invoice, Vote: *vote, Matter: *matter, Building: *building}
	if r.Stages, err = app.ParseStages(*stages); err != nil {
		return err
	}
	if r.Files, err = readAttachments(attach); err != nil {
		return err
	}
	pass, err := memberPassphrase(*pf, "SUNLEDGER_PASSPHRASE", false)
	if err != nil {
		return err
	}
	if pass != "" {
		awaitPassphraseTurn()
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	x, err := svc.Expenses.ApplyExpense(e.ctx, r, *as, pass)
	if err != nil {
		return err
	}
	for _, a := range x.Attachments {
		fmt.Fprintf(e.stdout, app.T("附件 %s（%d 字节）SHA-256 %s\n", "attachment %s (%d bytes) SHA-256 %s\n"), a.Name, a.Size, a.SHA256)
	}
	printBudgetLeft(e, svc, x)
	printShares(e, svc, x)
	fmt.Fprintf(e.stdout, app.T("已提交支出申请：%s %s %s，等待两位委员联签 %s\n", "expense request applied for: %s %s %s, waiting for two committee signatures: %s\n"),
		x.Fund.Label(), x.Payee, app.FormatAmount(x.Amount), x.ID)
	return nil
}

// readAttachments reads the files of expense apply's --attach, refusing one that cannot
// be read or is over the size an attachment may have.
func readAttachments(paths []string) ([]app.AttachmentFile, error) {
	var files []app.AttachmentFile
	for _, path := range paths {
		st, err := os.Stat(path)
		if err != nil {
			return nil, app.Errorf(app.EINVALID, "无法读取附件 %s：%v", "cannot read the attachment %s: %v", path, err)
		}
		if st.Size() > app.MaxAttachmentSize {
			return nil, app.Errorf(app.EINVALID, "附件 %s 太大（%d MB），每个附件最多 %d MB", "attachment %s is too large (%d MB); each may be %d MB at most", path, st.Size()>>20, app.MaxAttachmentSize>>20)
		}
		b, err := readLimited(path, app.MaxAttachmentSize)
		if errors.Is(err, errTooLarge) {
			return nil, app.Errorf(app.EINVALID, "附件 %s 太大，每个附件最多 %d MB；没有提交申请", "attachment %s is too large; each may be %d MB at most; nothing was submitted", path, app.MaxAttachmentSize>>20)
		}
		if err != nil {
			return nil, app.Errorf(app.EINVALID, "无法读取附件 %s：%v", "cannot read the attachment %s: %v", path, err)
		}
		files = append(files, app.AttachmentFile{Name: filepath.Base(path), Data: b})
	}
	return files, nil
}

// printBudgetLeft tells, for a request charged to a budget line, what the line has left
// once the request is paid, with a note when it would overspend; it prints nothing when
// the budget cannot be read (the request is filed already).
func printBudgetLeft(e *env, svc app.Services, x app.Expense) {
	if x.BudgetLine == "" {
		return
	}
	l, _ := app.ParseBudgetLineID(x.BudgetLine)
	r, err := svc.Budgets.BudgetVsActual(e.ctx, l.Year)
	if err != nil {
		return
	}
	for _, bl := range r.Lines {
		if bl.Budgeted && bl.ID() == l.ID() {
			left := bl.Left.Sub(x.Amount)
			fmt.Fprintf(e.stdout, app.T("预算科目 %s：预算 %s，已支出 %s，本申请支付后余 %s\n", "budget line %s: budget %s, spent %s, left after this request %s\n"),
				x.BudgetLine, app.FormatAmount(bl.Amount), app.FormatAmount(bl.Actual), app.FormatAmount(left))
			if left.IsNegative() {
				fmt.Fprintln(e.stdout, app.T("注意：本申请将超出预算，联签时请说明理由或先调整预算", "note: this request would exceed the budget; explain why when signing, or adjust the budget first"))
			}
		}
	}
}

// expenseStep runs approve, review, pay or reject.
func expenseStep(step app.SignStep) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		fs := newFlags("expense " + string(step))
		sf := addSignerFlags(fs, "request id")
		as, id := sf.as, sf.id
		date := fs.String("date", "", "YYYY-MM-DD (pay, accept)")
		stage := fs.String("stage", "", "advance|acceptance|retention (pay)")
		reason := fs.String("reason", "", "reason (reject)")
		if err := sf.parse(fs, args); err != nil {
			return err
		}
		if step == app.StepReject {
			if err := need("reason", *reason); err != nil {
				return err
			}
		}
		if *date != "" && step != app.StepPay && step != app.StepAccept {
			return usageError("--date 只用于 expense pay 和 expense accept", "--date is for expense pay and expense accept only")
		}
		if *stage != "" && step != app.StepPay {
			return usageError("--stage 只用于 expense pay", "--stage is for expense pay only")
		}
		pass, err := sf.passphrase()
		if err != nil {
			return err
		}
		svc, err := e.services()
		if err != nil {
			return err
		}
		var x app.Expense
		switch step {
		case app.StepApprove:
			x, err = svc.Expenses.ApproveExpense(e.ctx, *id, *as, pass)
		case app.StepReview:
			x, err = svc.Expenses.ReviewExpense(e.ctx, *id, *as, pass)
		case app.StepPay:
			x, err = svc.Expenses.PayExpenseStage(e.ctx, *id, *stage, *as, pass, *date)
		case app.StepAccept:
			x, err = svc.Expenses.AcceptExpense(e.ctx, *id, *as, pass, *date)
		case app.StepReject:
			x, err = svc.Expenses.RejectExpense(e.ctx, *id, *as, pass, *reason)
		}
		if err != nil {
			return err
		}
		switch step {
		case app.StepApprove:
			fmt.Fprintf(e.stdout, app.T("%s 已签字（联签 %d/2：%s），状态：%s %s\n", "%s signed (approvals %d/2: %s); state: %s %s\n"),
				*as, len(x.Approvers()), strings.Join(x.Approvers(), "、"), x.State.Label(), x.ID)
		case app.StepPay:
			if i := x.Stage(*stage); i >= 0 {
				st := x.Stages[i]
				fmt.Fprintf(e.stdout, app.T("已支付%s %s 给 %s，%s 付出，凭证 #%d；已付 %s / %s，状态：%s %s\n", "paid the %s of %s to %s from the %s, entry #%d; paid %s of %s; state: %s %s\n"),
					app.StageLabel(st.Name), app.FormatAmount(st.Amount), x.Payee, x.Fund.Label(), st.Entry, app.FormatAmount(x.PaidSoFar()), app.FormatAmount(x.Amount), x.State.Label(), x.ID)
				break
			}
			fmt.Fprintf(e.stdout, app.T("已支付 %s 给 %s，%s 付出，凭证 #%d，状态：%s %s\n", "paid %s to %s from the %s, entry #%d; state: %s %s\n"),
				app.FormatAmount(x.Amount), x.Payee, x.Fund.Label(), x.Entry, x.State.Label(), x.ID)
		case app.StepAccept:
			acc, _ := x.Acceptance()
			fmt.Fprintf(e.stdout, app.T("%s 已于 %s 验收 %s\n", "%s accepted the work of %[3]s on %[2]s\n"), acc.Signer, acc.Note, x.ID)
		default:
			fmt.Fprintf(e.stdout, app.T("%s 已%s，状态：%s %s\n", "%s %s it; state: %s %s\n"), *as, app.StepLabel(step), x.State.Label(), x.ID)
		}
		return nil
	}
}

// expenseJSON is a request as `expense list --json` prints it: amounts as decimal
// strings with two places, times in RFC 3339, signatures base64.
type expenseJSON struct {
	ID           string           `json:"id"`
	State        string           `json:"state"`
	Fund         string           `json:"fund"`
	Category     string           `json:"category"`
	Account      string           `json:"account"`
	BudgetLine   string           `json:"budget_line,omitempty"`
	Payee        string           `json:"payee"`
	Amount       string           `json:"amount"`
	Description  string           `json:"description"`
	Applicant    string           `json:"applicant"`
	Applied      string           `json:"applied"`
	Vote         string           `json:"vote,omitempty"`
	Matter       int              `json:"matter,omitempty"`
	Building     string           `json:"building,omitempty"`
	Attachments  []app.Attachment `json:"attachments"`
	Signatures   []sigJSON        `json:"signatures"`
	Approvals    int              `json:"approvals"`
	NeedsReview  bool             `json:"needs_review"`
	RejectReason string           `json:"reject_reason,omitempty"`
	PaidDate     string           `json:"paid_date,omitempty"`
	Entry        int64            `json:"entry,omitempty"`
	// Stages is the payment plan, if any; Accepted the 验收 (signer and date).
	Stages   []stageJSON `json:"stages,omitempty"`
	Accepted *acceptJSON `json:"accepted,omitempty"`
	// Decisions are the joint meetings' decisions about the request (meeting decide --expense).
	Decisions []string `json:"decisions,omitempty"`
}

type stageJSON struct {
	Name     string `json:"name"`
	Percent  string `json:"percent"`
	Amount   string `json:"amount"`
	Due      string `json:"due,omitempty"`
	PaidDate string `json:"paid_date,omitempty"`
	Entry    int64  `json:"entry,omitempty"`
}

type acceptJSON struct {
	By   string `json:"by"`
	Date string `json:"date"`
}

type sigJSON struct {
	Step      string `json:"step"`
	Signer    string `json:"signer"`
	Role      string `json:"role"`
	At        string `json:"at"`
	Note      string `json:"note,omitempty"`
	Signature string `json:"signature"`
}

func toExpenseJSON(x app.Expense, r app.ExpenseRules) expenseJSON {
	acct, _ := x.PaymentEntry("")
	j := expenseJSON{ID: x.ID, State: string(x.State), Fund: string(x.Fund), Category: x.Category, BudgetLine: x.BudgetLine,
		Payee: x.Payee, Amount: app.PlainAmount(x.Amount), Description: x.Description, Applicant: x.Applicant,
		Applied: x.Applied.Format(time.RFC3339), Vote: x.Vote, Matter: x.Matter, Building: x.Building,
		Attachments: x.Attachments, Signatures: []sigJSON{}, Approvals: len(x.Approvers()), NeedsReview: r.NeedsReview(x),
		RejectReason: x.RejectReason, PaidDate: x.PaidDate, Entry: x.Entry}
	if len(acct.Postings) > 0 {
		j.Account = acct.Postings[0].Account
	}
	if j.Attachments == nil {
		j.Attachments = []app.Attachment{}
	}
	for _, st := range x.Stages {
		j.Stages = append(j.Stages, stageJSON{Name: st.Name, Percent: st.Percent.String(), Amount: app.PlainAmount(st.Amount), Due: st.Due, PaidDate: st.PaidDate, Entry: st.Entry})
	}
	if acc, ok := x.Acceptance(); ok {
		j.Accepted = &acceptJSON{By: acc.Signer, Date: acc.Note}
	}
	for _, s := range x.Signatures {
		j.Signatures = append(j.Signatures, sigJSON{Step: string(s.Step), Signer: s.Signer, Role: string(s.Role), At: s.At.Format(time.RFC3339), Note: s.Note, Signature: base64.StdEncoding.EncodeToString(s.Sig)})
	}
	return j
}

func expenseList(e *env, args []string) error {
	fs := newFlags("expense list")
	asJSON := jsonFlag(fs)
	state := fs.String("state", "", "applied|approved|reviewed|paid|rejected")
	fund := fs.String("fund", "", "service|public|maintenance")
	if err := parseStrict(fs, args); err != nil {
		return err
	}
	switch app.ExpenseState(*state) {
	case "", app.ExpenseApplied, app.ExpenseApproved, app.ExpenseReviewed, app.ExpensePaid, app.ExpenseRejected:
	default:
		return app.Errorf(app.EINVALID, "未知的状态 %q：应为 applied、approved、reviewed、paid 或 rejected", "unknown state %q: use applied, approved, reviewed, paid or rejected", *state)
	}
	var f app.Fund
	if *fund != "" {
		var err error
		if f, err = app.ParseFund(*fund); err != nil {
			return err
		}
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	xs, err := svc.Expenses.Expenses(e.ctx)
	if err != nil {
		return err
	}
	rules, err := svc.Expenses.ExpenseRules(e.ctx)
	if err != nil {
		return err
	}
	kept := xs[:0]
	for _, x := range xs {
		if (*state == "" || string(x.State) == *state) && (f == "" || x.Fund == f) {
			kept = append(kept, x)
		}
	}
	var ms []app.Meeting
	if svc.Meetings != nil {
		if ms, err = svc.Meetings.Meetings(e.ctx); err != nil {
			return err
		}
	}
	if *asJSON {
		out := make([]expenseJSON, 0, len(kept))
		for _, x := range kept {
			j := toExpenseJSON(x, rules)
			if ds := app.DecisionsAbout(ms, x.ID); len(ds) > 0 {
				j.Decisions = ds
			}
			out = append(out, j)
		}
		return printJSON(e.stdout, out)
	}
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, app.T("编号\t状态\t资金\t类别\t金额\t收款人\t申请人\t签名", "id\tstate\tfund\tcategory\tamount\tpayee\tapplicant\tsignatures"))
	for _, x := range kept {
		var sigs []string
		for _, s := range x.Signatures {
			sigs = append(sigs, app.StepLabel(s.Step)+":"+s.Signer)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.ID, x.State.Label(), x.Fund.Label(), x.CategoryLabel(), app.PlainAmount(x.Amount), x.Payee, x.Applicant, strings.Join(sigs, " "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("共 %d 份申请\n", "%d requests\n"), len(kept))
	return nil
}

func expenseShow(e *env, args []string) error {
	fs := newFlags("expense show")
	id := fs.String("id", "", "request id")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args, "id")
	if err != nil {
		return err
	}
	x, err := svc.Expenses.Expense(e.ctx, *id)
	if err != nil {
		return err
	}
	rules, err := svc.Expenses.ExpenseRules(e.ctx)
	if err != nil {
		return err
	}
	j := toExpenseJSON(x, rules)
	return e.printResult(*asJSON, j, func() error { return printExpense(e, x, j) })
}

// printExpense prints one expense request in full as text (j is its JSON form, for the
// account name).
func printExpense(e *env, x app.Expense, j expenseJSON) error {
	w := e.stdout
	fmt.Fprintf(w, "%s  %s\n", x.ID, x.State.Label())
	fmt.Fprintf(w, app.T("资金：%s\n类别：%s（%s）\n收款人：%s\n金额：%s（%s）\n用途：%s\n申请人：%s %s\n", "fund: %s\ncategory: %s (%s)\npayee: %s\namount: %s (%s)\ndescription: %s\napplicant: %s %s\n"),
		x.Fund.Label(), x.CategoryLabel(), j.Account, x.Payee, app.FormatAmount(x.Amount), app.AmountInWords(x.Amount), x.Description, x.Applicant, x.Applied.Local().Format("2006-01-02 15:04"))
	if x.BudgetLine != "" {
		fmt.Fprintf(w, app.T("预算科目：%s\n", "budget line: %s\n"), x.BudgetLine)
	}
	if x.Vote != "" {
		fmt.Fprintf(w, app.T("依据表决：%s 第 %d 项\n", "vote: %s matter %d\n"), x.Vote, x.Matter)
	}
	for _, st := range x.Stages {
		state := app.T("未付", "unpaid")
		if st.PaidDate != "" {
			state = fmt.Sprintf(app.T("%s 已付，凭证 #%d", "paid %s, entry #%d"), st.PaidDate, st.Entry)
		} else if st.Due != "" {
			state = fmt.Sprintf(app.T("%s 起可付", "held until %s"), st.Due)
		}
		fmt.Fprintf(w, app.T("分期：%s %s%% %s（%s）\n", "stage: %s %s%% %s (%s)\n"), app.StageLabel(st.Name), st.Percent.String(), app.FormatAmount(st.Amount), state)
	}
	if acc, ok := x.Acceptance(); ok {
		fmt.Fprintf(w, app.T("验收：%s %s\n", "accepted: %s by %s\n"), acc.Note, acc.Signer)
	}
	for i, a := range x.Attachments {
		fmt.Fprintf(w, app.T("附件 %d：%s（%d 字节）SHA-256 %s\n", "attachment %d: %s (%d bytes) SHA-256 %s\n"), i+1, a.Name, a.Size, a.SHA256)
	}
	for _, s := range x.Signatures {
		note := ""
		if s.Note != "" {
			note = "（" + s.Note + "）"
		}
		fmt.Fprintf(w, "%s  %s %s %s%s\n", s.At.Local().Format("2006-01-02 15:04"), app.StepLabel(s.Step), s.Role.Label(), s.Signer, note)
	}
	if x.State == app.ExpensePaid {
		fmt.Fprintf(w, app.T("支付：%s，凭证 #%d\n", "paid: %s, entry #%d\n"), x.PaidDate, x.Entry)
	}
	return nil
}

func expenseAttachment(e *env, args []string) error {
	fs := newFlags("expense attachment")
	id := fs.String("id", "", "request id")
	n := fs.Int("n", 1, "attachment number, from 1")
	out := fs.String("out", "", "file")
	svc, err := e.parseOpen(fs, args, "id", "out")
	if err != nil {
		return err
	}
	a, data, err := svc.Expenses.AttachmentData(e.ctx, *id, *n-1)
	if err != nil {
		return err
	}
	tmp := *out + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", *out, err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		os.Remove(tmp)
		return app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", *out, err)
	}
	fmt.Fprintf(e.stdout, app.T("已取出附件 %s（%d 字节，SHA-256 %s）到 %s\n", "saved attachment %s (%d bytes, SHA-256 %s) to %s\n"), a.Name, a.Size, a.SHA256, *out)
	return nil
}

func expenseRules(e *env, args []string) error {
	fs := newFlags("expense rules")
	above := fs.String("review-above", "", "amount")
	as := asFlag(fs)
	why := whyFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	if *above != "" {
		a, err := app.ParseAmount(*above)
		if err != nil {
			return err
		}
		if err := svc.Expenses.SetExpenseRules(e.ctx, app.ExpenseRules{ReviewAbove: a}, who(*as), *why); err != nil {
			return err
		}
	}
	r, err := svc.Expenses.ExpenseRules(e.ctx)
	if err != nil {
		return err
	}
	if r.ReviewAbove.IsZero() {
		fmt.Fprintln(e.stdout, app.T("每份支出申请都需要社区复核（维修资金始终需要）", "every request needs the community's re-review (the maintenance fund always does)"))
	} else {
		fmt.Fprintf(e.stdout, app.T("超过 %s 的支出申请需要社区复核（维修资金始终需要）\n", "requests above %s need the community's re-review (the maintenance fund always does)\n"), app.FormatAmount(r.ReviewAbove))
	}
	return nil
}

func expenseVerify(e *env, args []string) error {
	fs := newFlags("expense verify")
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	if err := svc.Expenses.VerifyExpenses(e.ctx); err != nil {
		return err
	}
	xs, err := svc.Expenses.Expenses(e.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("%d 份支出申请的签名、状态、支付凭证和附件核对无误\n", "the signatures, states, payment entries and attachments of %d expense requests check out\n"), len(xs))
	return nil
}

// printShares tells, for a maintenance-fund request, which units will share it and how
// (docs/maintenance.md); it prints nothing when the records cannot be read.
func printShares(e *env, svc app.Services, x app.Expense) {
	if x.Fund != app.FundMaintenance || x.Vote == "" {
		return
	}
	rec, err := svc.Votes.VoteRecord(e.ctx, x.Vote)
	if err != nil {
		return
	}
	var scope []string
	if i := rec.Assembly.MatterIndex(x.Matter); i >= 0 && len(rec.Assembly.Matters[i].Scope) > 0 {
		scope = rec.Assembly.Matters[i].Scope
	} else if x.Building != "" {
		scope = []string{x.Building}
	}
	led, err := svc.Maintenance.FundLedger(e.ctx, "")
	if err != nil {
		return
	}
	shares, _, ok := app.RepairShares(x.Amount, scope, led)
	if !ok {
		return
	}
	fmt.Fprintf(e.stdout, app.T("支付后由 %s 的 %d 户按专有部分面积分摊（maintenance ledger 查看各户余额）\n", "once paid, shared by the %[2]d units of %[1]s by exclusive area (maintenance ledger shows each unit's balance)\n"),
		app.ScopeLabel(scope), len(shares))
}
