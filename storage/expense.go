package storage

import (
	"context"
	"strings"

	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

var _ app.ExpenseService = ExpenseService{}

// attachmentChunk bounds one stored piece of an attachment. Pieces above Badger's value
// threshold (1 MiB) live in the value log, so a 20 MB scan costs a transaction only a
// few pointers.
const attachmentChunk = 4 << 20

// ApplyExpense records an expense request with its attachments.
func (s ExpenseService) ApplyExpense(ctx context.Context, r app.ExpenseRequest, applicant, passphrase string) (e app.Expense, err error) {
	defer func() {
		if err != nil {
			s.db.auditRefused(applicant, "expense.apply", fmt.Sprintf("%s %s %s", r.Fund, r.Payee, app.PlainAmount(r.Amount)), err)
		}
	}()
	if e, err = r.Validate(); err != nil {
		return e, err
	}
	m, key, err := s.db.applicantKey(ctx, applicant, passphrase)
	if err != nil {
		return e, err
	}
	if e.Vote != "" {
		passed, err := s.db.voteService().MatterPassed(ctx, e.Vote, e.Matter)
		if err != nil {
			return e, err
		}
		if !passed {
			return e, app.Errorf(app.EINVALID, "业主大会表决 %s 第 %d 项没有通过（或尚未计票），不能据此申请支出；没有提交申请",
				"the owners' vote %s matter %d did not pass (or is not tallied yet): no expense can be applied for against it; nothing was submitted", e.Vote, e.Matter)
		}
	}
	// Attachments go in first, each in its own transaction (a content-addressed blob
	// is harmless on its own); if the request is refused, the new blobs are removed.
	var fresh []string
	defer func() {
		if err != nil {
			for _, sha := range fresh {
				_ = s.db.update(func(tx *Tx) error { return tx.deleteBlob(sha) })
			}
		}
	}()
	if fresh, err = s.db.storeAttachments(r.Files); err != nil {
		return e, err
	}
	err = s.db.update(func(tx *Tx) error {
		if err := tx.checkMatterSpend(e); err != nil {
			return err
		}
		return tx.recordExpense(ctx, &e, m, key, applicant)
	})
	return e, err
}

// checkMatterSpend refuses a request against a vote matter that the matter does not
// allow (docs/maintenance.md): a matter of another fund; more than its cap less what
// the other requests not rejected ask or were paid against it; and, from the
// maintenance fund, a repair whose share (by area, over the matter's scope) exceeds some
// unit's balance in the sub-ledger.
func (tx *Tx) checkMatterSpend(e app.Expense) error {
	if e.Vote == "" {
		return nil
	}
	a, err := tx.assembly(e.Vote)
	if err != nil {
		return err
	}
	i := a.MatterIndex(e.Matter)
	if i < 0 {
		return app.Errorf(app.ENOTFOUND, "表决 %s 没有事项 %d", "vote %s has no matter %d", e.Vote, e.Matter)
	}
	mt := a.Matters[i]
	if mt.Fund != "" && mt.Fund != e.Fund {
		return app.Errorf(app.EINVALID, "表决 %s 第 %d 项批准的是%s的支出，不能用于%s；没有提交申请", "vote %s matter %d allows spending from the %s, not the %s; nothing was submitted",
			e.Vote, e.Matter, mt.Fund.Label(), e.Fund.Label())
	}
	if !mt.Cap.IsZero() {
		all, err := tx.expenses()
		if err != nil {
			return err
		}
		var used decimal.Decimal
		for _, x := range all {
			if x.Vote == e.Vote && x.Matter == e.Matter && x.State != app.ExpenseRejected {
				used = used.Add(x.Amount)
			}
		}
		if left := mt.Cap.Sub(used); e.Amount.GreaterThan(left) {
			return app.Errorf(app.EINVALID, "申请金额 %s 超过表决 %s 第 %d 项尚可支用的 %s（限额 %s，其他未驳回的申请已申请或已支付 %s）；没有提交申请",
				"the amount %[1]s is more than the %[4]s left of vote %[2]s matter %[3]d (cap %[5]s, other requests not rejected ask or were paid %[6]s); nothing was submitted",
				app.FormatAmount(e.Amount), e.Vote, e.Matter, app.FormatAmount(left), app.FormatAmount(mt.Cap), app.FormatAmount(used))
		}
	}
	if e.Fund != app.FundMaintenance {
		return nil
	}
	return tx.checkShares(e)
}

// checkShares refuses a maintenance-fund repair that some unit in its scope cannot pay
// its share of, naming the units and what they must top up first; and one whose scope
// holds no unit of the register.
func (tx *Tx) checkShares(e app.Expense) error {
	scope, err := tx.expenseScope(e)
	if err != nil {
		return err
	}
	led, err := tx.fundLedger("")
	if err != nil {
		return err
	}
	_, short, ok := app.RepairShares(e.Amount, scope, led)
	if !ok {
		return app.Errorf(app.EINVALID, "分摊范围（%s）里没有登记册中的房号，无法分摊；没有提交申请", "the scope (%s) holds no unit of the register: nothing to share the repair among; nothing was submitted", app.ScopeLabel(scope))
	}
	if len(short) == 0 {
		return nil
	}
	var total decimal.Decimal
	var names []string
	for k, s := range short {
		total = total.Add(s.Short())
		if k < 10 {
			names = append(names, s.Unit+" "+app.PlainAmount(s.Short()))
		}
	}
	more := ""
	if len(short) > 10 {
		more = fmt.Sprintf(app.T(" 等 %d 户", " and %d more"), len(short)-10)
	}
	return app.Errorf(app.EINVALID, "%d 户的分摊额超过其维修资金余额，须先续交（房号 差额）：%s%s；合计差额 %s；没有提交申请",
		"%d units' shares exceed their balance in the maintenance fund and must be topped up first (unit shortfall): %s%s; shortfall %s in all; nothing was submitted",
		len(short), strings.Join(names, app.T("、", ", ")), more, app.FormatAmount(total))
}

// applicantKey finds the applicant among the active members and, when a passphrase
// is given, unlocks their signing key (nil without a passphrase).
func (db *DB) applicantKey(ctx context.Context, applicant, passphrase string) (m app.Member, key ed25519.PrivateKey, err error) {
	m, err = db.memberService().Member(ctx, applicant)
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
func (s ExpenseService) Expense(ctx context.Context, id string) (app.Expense, error) {
	id, err := app.ParseExpenseID(id)
	if err != nil {
		return app.Expense{}, err
	}
	var e app.Expense
	err = s.db.view(func(tx *Tx) error {
		var err error
		e, err = tx.expense(id)
		return err
	})
	return e, err
}

// Expenses lists every request, oldest first.
func (s ExpenseService) Expenses(ctx context.Context) ([]app.Expense, error) {
	return read(s.db, (*Tx).expenses)
}

func (tx *Tx) expenses() ([]app.Expense, error) {
	return all[app.Expense](tx, prefixExpense)
}

// AttachmentData returns an attachment's content.
func (s ExpenseService) AttachmentData(ctx context.Context, id string, n int) (app.Attachment, []byte, error) {
	e, err := s.Expense(ctx, id)
	if err != nil {
		return app.Attachment{}, nil, err
	}
	if n < 0 || n >= len(e.Attachments) {
		return app.Attachment{}, nil, app.Errorf(app.ENOTFOUND, "支出申请 %s 没有第 %d 个附件（共 %d 个）", "expense request %s has no attachment %d (it has %d)", e.ID, n+1, len(e.Attachments))
	}
	a := e.Attachments[n]
	var data []byte
	err = s.db.view(func(tx *Tx) error {
		var err error
		data, err = tx.blob(a.SHA256)
		return err
	})
	return a, data, err
}

// SetExpenseRules changes the chain's settings.
func (s ExpenseService) SetExpenseRules(ctx context.Context, r app.ExpenseRules, who, why string) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.db.update(func(tx *Tx) error {
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
func (s ExpenseService) ExpenseRules(ctx context.Context) (app.ExpenseRules, error) {
	var r app.ExpenseRules
	err := s.db.view(func(tx *Tx) error {
		var err error
		r, err = tx.expenseRules()
		return err
	})
	return r, err
}

// VerifyExpenses checks the roster (app.VerifyRoster), then every request: that it
// cites the sealed roster, its signatures and state (app.VerifyExpense), the journal
// entry of every payment, and the hash of every attachment.
func (s ExpenseService) VerifyExpenses(ctx context.Context) error {
	return s.db.view(func(tx *Tx) error {
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
			for _, st := range e.Stages {
				if st.PaidDate == "" {
					continue
				}
				var je app.Entry
				ok, err := tx.get(entryKey(st.Entry), &je)
				if err != nil {
					return err
				}
				want, _ := e.StagePaymentEntry(st.Name, st.PaidDate)
				if !ok || je.Ref != want.Ref || je.Date != st.PaidDate || len(je.Postings) != len(want.Postings) || !samePostings(je.Postings, want.Postings) {
					return app.Errorf(app.EINVALID, "支出申请 %s 的 %s 阶段记录已于 %s 支付，但凭证 #%d 与之不符：账本可能被改动过",
						"expense request %s says its %s stage was paid on %s, but entry #%d does not match: the book may have been tampered with", e.ID, st.Name, st.PaidDate, st.Entry)
				}
			}
			if e.State == app.ExpensePaid && len(e.Stages) == 0 {
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
