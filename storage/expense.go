package storage

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"sunledger/app"
)

var _ app.ExpenseService = ExpenseService{}

// attachmentChunk bounds one stored piece of an attachment. Pieces above Badger's value
// threshold (1 MiB) live in the value log, so a 20 MB scan costs a transaction only a
// few pointers.
const attachmentChunk = 4 << 20

// ApplyExpense records an expense request with its attachments.
func (db ExpenseService) ApplyExpense(ctx context.Context, r app.ExpenseRequest, applicant, passphrase string) (e app.Expense, err error) {
	defer func() {
		if err != nil {
			db.auditExpenseRefusal(applicant, "expense.apply", fmt.Sprintf("%s %s %s", r.Fund, r.Payee, app.PlainAmount(r.Amount)), err)
		}
	}()
	if e, err = r.Validate(); err != nil {
		return e, err
	}
	m, key, err := db.applicantKey(ctx, applicant, passphrase)
	if err != nil {
		return e, err
	}
	if e.Vote != "" {
		if _, err := db.VoteService().MatterPassed(ctx, e.Vote, e.Matter); err != nil {
			return e, err
		}
	}
	// Attachments go in first, each in its own transaction (a content-addressed blob
	// is harmless on its own); if the request is refused, the new blobs are removed.
	var fresh []string
	defer func() {
		if err != nil {
			for _, sha := range fresh {
				_ = db.update(func(tx *Tx) error { return tx.deleteBlob(sha) })
			}
		}
	}()
	if fresh, err = db.storeAttachments(r.Files); err != nil {
		return e, err
	}
	err = db.update(func(tx *Tx) error {
		return tx.recordExpense(ctx, &e, m, key, applicant)
	})
	return e, err
}

// applicantKey finds the applicant among the active members and, when a passphrase
// is given, unlocks their signing key (nil without a passphrase).
func (db *DB) applicantKey(ctx context.Context, applicant, passphrase string) (m app.Member, key ed25519.PrivateKey, err error) {
	m, err = db.MemberService().Member(ctx, applicant)
	if err != nil {
		return m, nil, err
	}
	if !m.Active() {
		return m, nil, app.Errorf(app.EUNAUTHORIZED, "%s 已被移出成员名单（%s），不能再提交申请", "%s was removed from the roster (%s) and can no longer apply", m.Name, m.Removed)
	}
	if passphrase != "" {
		if key, err = m.Unlock(passphrase); err != nil {
			return m, key, err
		}
	}
	return m, key, nil
}

// storeAttachments stores each file's content as a blob, one transaction per file, and
// returns the blobs it added (files already stored are not), also on error, so that a
// refused request can remove them.
func (db *DB) storeAttachments(files []app.AttachmentFile) (fresh []string, err error) {
	for _, f := range files {
		a := f.Describe()
		var had bool
		if err = db.update(func(tx *Tx) error {
			if had, err = tx.has(attachmentKey(a.SHA256, 0)); err != nil || had {
				return err
			}
			return tx.putBlob(a.SHA256, f.Data)
		}); err != nil {
			return fresh, err
		}
		if !had {
			fresh = append(fresh, a.SHA256)
		}
	}
	return fresh, nil
}

// recordExpense writes the request e in the current transaction: it checks the
// roster still holds (sealing it with the first request), files the request under its
// budget line, gives it the next number, signs it with key when there is one, and
// audits it.
func (tx *Tx) recordExpense(ctx context.Context, e *app.Expense, m app.Member, key ed25519.PrivateKey, applicant string) error {
	if err := tx.requireBook(); err != nil {
		return err
	}
	// The roster must hold; the first request seals it.
	r, err := tx.verifiedRoster()
	if err != nil {
		return err
	}
	if cur, ok := r.byName[applicant]; !ok || !cur.PublicKey.Equal(m.PublicKey) || !cur.Active() {
		return app.Errorf(app.ECONFLICT, "%s 的成员记录刚被改动过，请重试", "the record of %s changed meanwhile; try again", applicant)
	}
	seal := r.seal
	if seal == nil {
		s, err := tx.sealRoster(app.StepTime(ctx, tx.now), applicant, app.T("第一份支出申请自动封存创始成员名单", "the first expense request seals the founding roster"))
		if err != nil {
			return err
		}
		seal = &s
	}
	e.Roster = seal.Hash
	at := app.StepTime(ctx, tx.now).UTC().Truncate(1e9)
	if err := tx.fileUnderBudget(e, at.Local().Year()); err != nil {
		return err
	}
	n, err := tx.next("expense")
	if err != nil {
		return err
	}
	e.ID, e.Applicant, e.Applied = app.ExpenseID(n), applicant, at
	if key != nil {
		if *e, err = e.Sign(app.StepApply, m, key, at, "", app.ExpenseRules{}); err != nil {
			return err
		}
	}
	if err := tx.put(expenseKey(e.ID), *e); err != nil {
		return err
	}
	return tx.audit(applicant, "expense.apply", fmt.Sprintf("%s %s %s %s %s", e.ID, e.Fund, e.Category, e.Payee, app.PlainAmount(e.Amount)), e.Description)
}

// fileUnderBudget checks the budget line a request names exists, or, when it names
// none, files it under the line of its fund and category in the budget of year, if
// that budget has one.
func (tx *Tx) fileUnderBudget(e *app.Expense, year int) error {
	if e.BudgetLine != "" {
		l, _ := app.ParseBudgetLineID(e.BudgetLine)
		b, ok, err := tx.budget(l.Year)
		if err != nil {
			return err
		}
		if _, has := b.Line(l.Fund, l.Category); !ok || !has {
			return app.Errorf(app.ENOTFOUND, "%d 年度预算里没有科目 %s", "the %d budget has no line %s", l.Year, e.BudgetLine)
		}
	} else if b, ok, err := tx.budget(year); err != nil {
		return err
	} else if l, has := b.Line(e.Fund, e.Category); ok && has {
		e.BudgetLine = l.ID()
	}
	return nil
}

func (tx *Tx) putBlob(sha string, data []byte) error {
	n := (len(data) + attachmentChunk - 1) / attachmentChunk
	size := (len(data) + n - 1) / n
	for i := 0; i < n; i++ {
		if err := tx.putRaw(attachmentKey(sha, i), data[i*size:min((i+1)*size, len(data))]); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) deleteBlob(sha string) error {
	var keys []string
	if err := tx.each(attachmentPrefix(sha), func(k string, _ []byte) error { keys = append(keys, k); return nil }); err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.delete(k); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) blob(sha string) ([]byte, error) {
	var out []byte
	err := tx.each(attachmentPrefix(sha), func(_ string, b []byte) error {
		out = append(out, b...)
		return nil
	})
	return out, err
}

// auditExpenseRefusal records a refused step: a wrong passphrase or a rule broken
// (EUNAUTHORIZED, EINVALID, ECONFLICT, ELOCKED, ENOTFOUND) is an attempt the committee
// should see in the audit log, although the step itself wrote nothing.
func (db *DB) auditExpenseRefusal(who, action, what string, err error) {
	var e *app.Error
	if !errors.As(err, &e) || e.Code == app.EINTERNAL {
		return
	}
	db.AuditRefusal(who, action, what, err)
}

// ApproveExpense adds a committee member's signature.
func (db ExpenseService) ApproveExpense(ctx context.Context, id, name, passphrase string) (app.Expense, error) {
	return db.step(ctx, app.StepApprove, id, name, passphrase, "")
}

// ReviewExpense adds the community's re-review.
func (db ExpenseService) ReviewExpense(ctx context.Context, id, name, passphrase string) (app.Expense, error) {
	return db.step(ctx, app.StepReview, id, name, passphrase, "")
}

// RejectExpense stops a request.
func (db ExpenseService) RejectExpense(ctx context.Context, id, name, passphrase, reason string) (app.Expense, error) {
	return db.step(ctx, app.StepReject, id, name, passphrase, reason)
}

// PayExpense pays a fully approved request and posts its entry in the same transaction.
func (db ExpenseService) PayExpense(ctx context.Context, id, name, passphrase, date string) (app.Expense, error) {
	if date != "" {
		if err := app.ValidDate(date); err != nil {
			return app.Expense{}, err
		}
	}
	return db.step(ctx, app.StepPay, id, name, passphrase, date)
}

// step runs one signing step: the rules are checked before the passphrase is asked of
// the key (so a refused step costs no key derivation), and again inside the write
// transaction, where the signature, the new state, the payment's journal entry and the
// audit record land together.
func (db *DB) step(ctx context.Context, step, id, name, passphrase, note string) (out app.Expense, err error) {
	action := "expense." + step
	id, err = app.ParseExpenseID(id)
	if err != nil {
		return out, err
	}
	defer func() {
		if err != nil {
			db.auditExpenseRefusal(name, action, id, err)
		}
	}()
	e, m, err := db.checkStep(ctx, step, id, name, note)
	if err != nil {
		return e, err
	}
	key, err := m.Unlock(passphrase)
	if err != nil {
		return e, err
	}
	var rules app.ExpenseRules
	err = db.update(func(tx *Tx) error {
		if e, m, err = tx.trustedStep(step, id, name); err != nil {
			return err
		}
		if rules, err = tx.expenseRules(); err != nil {
			return err
		}
		at := app.StepTime(ctx, tx.now)
		why := ""
		if step == app.StepPay {
			if note, err = tx.payDate(e, note, at); err != nil {
				return err
			}
		} else if step == app.StepReject {
			why = note
		}
		if e, err = e.Sign(step, m, key, at, note, rules); err != nil {
			return err
		}
		what := e.ID
		if step == app.StepPay {
			if what, err = tx.postExpensePayment(&e, note, name); err != nil {
				return err
			}
		}
		if err := tx.put(expenseKey(e.ID), e); err != nil {
			return err
		}
		return tx.audit(name, action, what, why)
	})
	return e, err
}

// checkStep checks a step before any key is unlocked: the request and the member are
// trusted, the rules allow the step, a rejection has a reason, and a maintenance-fund
// payment rests on a vote that passed. It returns the request and the member.
func (db *DB) checkStep(ctx context.Context, step, id, name, note string) (e app.Expense, m app.Member, err error) {
	var rules app.ExpenseRules
	if err = db.view(func(tx *Tx) error {
		var err error
		if e, m, err = tx.trustedStep(step, id, name); err != nil {
			return err
		}
		if rules, err = tx.expenseRules(); err != nil {
			return err
		}
		return e.Check(step, m, rules)
	}); err != nil {
		return e, m, err
	}
	if step == app.StepReject && note == "" {
		return e, m, app.Errorf(app.EINVALID, "驳回必须说明原因（--reason）", "a rejection needs a reason (--reason)")
	}
	if step == app.StepPay && e.Fund == app.FundMaintenance {
		passed, err := db.VoteService().MatterPassed(ctx, e.Vote, e.Matter)
		if err != nil {
			return e, m, err
		}
		if !passed {
			return e, m, app.Errorf(app.EINVALID, "支出申请 %s 动用维修资金，但关联的业主大会表决 %s 第 %d 项没有通过（或尚未计票）：不能支付",
				"expense request %s uses the maintenance fund but its owners' vote %s matter %d did not pass (or is not tallied yet): it cannot be paid", e.ID, e.Vote, e.Matter)
		}
	}
	return e, m, nil
}

// payDate is the date a payment step pays on: date, or the step's own day when empty.
// It refuses a date in the future, before the application, or before the owners' vote
// the request relies on. It returns the date, also on error.
func (tx *Tx) payDate(e app.Expense, date string, at time.Time) (string, error) {
	if date == "" {
		date = at.Local().Format("2006-01-02")
	}
	if date > tx.today() {
		return date, errFutureDate(date)
	}
	if date < e.Applied.Local().Format("2006-01-02") {
		return date, app.Errorf(app.EINVALID, "支付日期 %s 早于申请日期 %s", "the payment date %s is before the application date %s", date, e.Applied.Local().Format("2006-01-02"))
	}
	if e.Vote != "" {
		a, err := tx.assembly(e.Vote)
		if err != nil {
			return date, err
		}
		if date < a.Date {
			return date, app.Errorf(app.EINVALID, "支付日期 %s 早于支出申请 %s 所依据的业主大会表决 %s（%s）：动用维修资金必须在表决之后；没有支付",
				"the payment date %[1]s is before the owners' vote %[3]s of %[4]s that expense request %[2]s relies on: the maintenance fund is paid only after the vote; nothing was paid", date, e.ID, e.Vote, a.Date)
		}
	}
	return date, nil
}

// postExpensePayment checks the fund can pay the signed request e and posts its
// payment entry dated date, recording the entry on e. It returns the audit line.
func (tx *Tx) postExpensePayment(e *app.Expense, date, who string) (string, error) {
	if err := tx.checkFunds(*e); err != nil {
		return "", err
	}
	je, err := e.PaymentEntry(date)
	if err != nil {
		return "", err
	}
	if je, err = tx.postEntry(je, who); err != nil {
		return "", err
	}
	e.Entry = je.Seq
	return fmt.Sprintf("%s #%d %s %s", e.ID, je.Seq, app.PlainAmount(e.Amount), e.Payee), nil
}

// checkFunds refuses a payment the fund cannot cover: the fund's bank account must
// hold the amount, and remuneration cannot be paid beyond what was accrued.
func (tx *Tx) checkFunds(e app.Expense) error {
	bank := app.BankAccount(e.Fund)
	bal, err := tx.accountBalance(bank)
	if err != nil {
		return err
	}
	if e.Amount.GreaterThan(bal) {
		return app.Errorf(app.EINVALID, "%s银行存款余额 %s，不足以支付支出申请 %s 的 %s：不能透支，资金之间也不能挪用",
			"the %s bank account holds %s, not enough to pay %s for expense request %s: a fund cannot be overdrawn or borrow from another",
			e.Fund.Label(), app.FormatAmount(bal), app.FormatAmount(e.Amount), e.ID)
	}
	if e.Category == "remuneration" {
		owed, err := tx.accountBalance(app.PayableAccount(e.Fund))
		if err != nil {
			return err
		}
		if e.Amount.GreaterThan(owed.Neg()) {
			return app.Errorf(app.EINVALID, "已计提未支付的酬金只有 %s，支出申请 %s 要支付 %s：请先计提（remuneration accrue）",
				"only %s of remuneration is accrued and unpaid, but expense request %s would pay %s: accrue it first (remuneration accrue)",
				app.FormatAmount(owed.Neg()), e.ID, app.FormatAmount(e.Amount))
		}
	}
	return nil
}

func (tx *Tx) expense(id string) (app.Expense, error) {
	var e app.Expense
	ok, err := tx.get(expenseKey(id), &e)
	if err == nil && !ok {
		return e, app.Errorf(app.ENOTFOUND, "没有支出申请 %s", "there is no expense request %s", id)
	}
	if err == nil && e.ID != id {
		return e, app.Errorf(app.EINVALID, "存放位置 %s 的支出申请自称 %s：账本被改动过，请从备份恢复；没有做任何更改", "the expense request stored as %s claims to be %s: the book was tampered with; restore the last backup; nothing was changed", id, e.ID)
	}
	return e, err
}

func (tx *Tx) expenseRules() (app.ExpenseRules, error) {
	var r app.ExpenseRules
	_, err := tx.get(keyExpenseRules, &r)
	return r, err
}

// Expense returns one request.
func (db ExpenseService) Expense(ctx context.Context, id string) (app.Expense, error) {
	id, err := app.ParseExpenseID(id)
	if err != nil {
		return app.Expense{}, err
	}
	var e app.Expense
	err = db.view(func(tx *Tx) error {
		var err error
		e, err = tx.expense(id)
		return err
	})
	return e, err
}

// Expenses lists every request, oldest first.
func (db ExpenseService) Expenses(ctx context.Context) ([]app.Expense, error) {
	return read(db.DB, (*Tx).expenses)
}

func (tx *Tx) expenses() ([]app.Expense, error) {
	return all[app.Expense](tx, prefixExpense)
}

// AttachmentData returns an attachment's content.
func (db ExpenseService) AttachmentData(ctx context.Context, id string, n int) (app.Attachment, []byte, error) {
	e, err := db.Expense(ctx, id)
	if err != nil {
		return app.Attachment{}, nil, err
	}
	if n < 0 || n >= len(e.Attachments) {
		return app.Attachment{}, nil, app.Errorf(app.ENOTFOUND, "支出申请 %s 没有第 %d 个附件（共 %d 个）", "expense request %s has no attachment %d (it has %d)", e.ID, n+1, len(e.Attachments))
	}
	a := e.Attachments[n]
	var data []byte
	err = db.view(func(tx *Tx) error {
		var err error
		data, err = tx.blob(a.SHA256)
		return err
	})
	return a, data, err
}

// SetExpenseRules changes the chain's settings.
func (db ExpenseService) SetExpenseRules(ctx context.Context, r app.ExpenseRules, who, why string) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.put(keyExpenseRules, r); err != nil {
			return err
		}
		return tx.audit(who, "expense.rules", "review_above="+app.PlainAmount(r.ReviewAbove), why)
	})
}

// ExpenseRules returns the chain's settings.
func (db ExpenseService) ExpenseRules(ctx context.Context) (app.ExpenseRules, error) {
	var r app.ExpenseRules
	err := db.view(func(tx *Tx) error {
		var err error
		r, err = tx.expenseRules()
		return err
	})
	return r, err
}

// VerifyExpenses checks the roster (app.VerifyRoster), then every request: that it
// cites the sealed roster, its signatures and state (app.VerifyExpense), the journal
// entry of every payment, and the hash of every attachment.
func (db ExpenseService) VerifyExpenses(ctx context.Context) error {
	return db.view(func(tx *Tx) error {
		r, err := tx.verifiedRoster()
		if err != nil {
			return err
		}
		checked := map[string]bool{}
		return eachJSON(tx, prefixExpense, func(k string, e app.Expense) error {
			if err := ctxErr(ctx); err != nil {
				return err
			}
			if expenseKey(e.ID) != k {
				return app.Errorf(app.EINVALID, "存放位置 %s 的支出申请自称 %s：账本被改动过", "the expense request stored at %s claims to be %s: the book was tampered with", k, e.ID)
			}
			if err := checkStoredExpense(e, r); err != nil {
				return err
			}
			if e.State == app.ExpensePaid {
				var je app.Entry
				ok, err := tx.get(entryKey(e.Entry), &je)
				if err != nil {
					return err
				}
				want, _ := e.PaymentEntry(e.PaidDate)
				if !ok || je.Ref != want.Ref || je.Date != e.PaidDate || len(je.Postings) != len(want.Postings) || !samePostings(je.Postings, want.Postings) {
					return app.Errorf(app.EINVALID, "支出申请 %s 记录已于 %s 支付，但凭证 #%d 与之不符：账本可能被改动过",
						"expense request %s says it was paid on %s, but entry #%d does not match: the book may have been tampered with", e.ID, e.PaidDate, e.Entry)
				}
			}
			for _, a := range e.Attachments {
				if checked[a.SHA256] {
					continue
				}
				data, err := tx.blob(a.SHA256)
				if err != nil {
					return err
				}
				sum := sha256.Sum256(data)
				if hex.EncodeToString(sum[:]) != a.SHA256 || int64(len(data)) != a.Size {
					return app.Errorf(app.EINVALID, "支出申请 %s 的附件 %s 与登记的 SHA-256 不符：附件被改动或丢失",
						"attachment %[2]s of expense request %[1]s does not match its SHA-256: it was altered or lost", e.ID, a.Name)
				}
				checked[a.SHA256] = true
			}
			return nil
		})
	})
}

func samePostings(a, b []app.Posting) bool {
	for i := range a {
		if a[i].Account != b[i].Account || !a[i].Amount.Equal(b[i].Amount) {
			return false
		}
	}
	return true
}

// trustedStep loads request id and member name for a step and checks, before anything
// is signed or paid, that the roster holds and that every signature already on the
// request verifies over its canonical content (which includes its id and the sealed
// roster's hash) and makes its state: a state set by editing the store, or signatures
// copied from another request, are refused here, not only by verify afterwards.
func (tx *Tx) trustedStep(step, id, name string) (app.Expense, app.Member, error) {
	r, err := tx.verifiedRoster()
	if err != nil {
		return app.Expense{}, app.Member{}, refusedStep(step, id, err)
	}
	e, err := tx.expense(id)
	if err != nil {
		return e, app.Member{}, err
	}
	if err := checkStoredExpense(e, r); err != nil {
		return e, app.Member{}, refusedStep(step, id, err)
	}
	m, ok := r.byName[name]
	if !ok {
		_, err := tx.member(name)
		return e, m, err
	}
	return e, m, nil
}

// checkStoredExpense checks a stored request against the verified roster.
func checkStoredExpense(e app.Expense, r roster) error {
	if r.seal == nil || e.Roster != r.seal.Hash {
		return app.Errorf(app.EINVALID, "支出申请 %s 引用的成员名单与封存的不一致：账本可能被改动过", "expense request %s cites a roster other than the sealed one: the book may have been tampered with", e.ID)
	}
	return app.VerifyExpense(e, r.byName)
}

var stepZH = map[string]string{app.StepApprove: "联签", app.StepReview: "复核", app.StepPay: "支付", app.StepReject: "驳回", app.StepApply: "申请"}

// refusedStep says that a step was refused because the stored records do not hold.
func refusedStep(step, id string, err error) error {
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Code == app.EINTERNAL {
		return err
	}
	return &app.Error{Code: app.EINVALID,
		ZH: fmt.Sprintf("拒绝%s支出申请 %s，没有做任何更改：%s", stepZH[step], id, ae.ZH),
		EN: fmt.Sprintf("refused to %s expense request %s; nothing was changed: %s", step, id, ae.EN)}
}
