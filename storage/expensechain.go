package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sunledger/app"
)

// The signing steps of the approval chain (approve, review, pay, reject): each checked
// before the key is unlocked and again inside its write transaction, a refusal audited.

// ApproveExpense adds a committee member's signature.
func (s ExpenseService) ApproveExpense(ctx context.Context, id, name, passphrase string) (app.Expense, error) {
	return s.db.step(ctx, app.StepApprove, id, "", name, passphrase, "")
}

// ReviewExpense adds the community's re-review.
func (s ExpenseService) ReviewExpense(ctx context.Context, id, name, passphrase string) (app.Expense, error) {
	return s.db.step(ctx, app.StepReview, id, "", name, passphrase, "")
}

// RejectExpense stops a request.
func (s ExpenseService) RejectExpense(ctx context.Context, id, name, passphrase, reason string) (app.Expense, error) {
	return s.db.step(ctx, app.StepReject, id, "", name, passphrase, reason)
}

// PayExpense pays a fully approved request and posts its entry in the same transaction.
func (s ExpenseService) PayExpense(ctx context.Context, id, name, passphrase, date string) (app.Expense, error) {
	if date != "" {
		if err := app.ValidDate(date); err != nil {
			return app.Expense{}, err
		}
	}
	return s.db.step(ctx, app.StepPay, id, "", name, passphrase, date)
}

// PayExpenseStage pays one stage of a staged request (docs/maintenance.md).
func (s ExpenseService) PayExpenseStage(ctx context.Context, id, stage, name, passphrase, date string) (app.Expense, error) {
	if date != "" {
		if err := app.ValidDate(date); err != nil {
			return app.Expense{}, err
		}
	}
	if stage == "" {
		return s.PayExpense(ctx, id, name, passphrase, date)
	}
	return s.db.step(ctx, app.StepPay, id, stage, name, passphrase, date)
}

// AcceptExpense signs the acceptance (验收) of a staged request.
func (s ExpenseService) AcceptExpense(ctx context.Context, id, name, passphrase, date string) (app.Expense, error) {
	if date != "" {
		if err := app.ValidDate(date); err != nil {
			return app.Expense{}, err
		}
	}
	return s.db.step(ctx, app.StepAccept, id, "", name, passphrase, date)
}

// step runs one signing step: the rules are checked before the passphrase is asked of
// the key (so a refused step costs no key derivation), and again inside the write
// transaction, where the signature, the new state, the payment's journal entry and the
// audit record land together.
//
// A payment with a stage pays that stage of the request's plan (note: the date); an
// acceptance's note is its date ("" = the step's day, never in the future).
func (db *DB) step(ctx context.Context, step app.SignStep, id, stage, name, passphrase, note string) (out app.Expense, err error) {
	action := "expense." + string(step)
	id, err = app.ParseExpenseID(id)
	if err != nil {
		return out, err
	}
	defer func() {
		if err != nil {
			db.auditRefused(name, action, id, err)
		}
	}()
	e, m, err := db.checkStep(ctx, step, id, stage, name, note)
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
		why, date := "", note
		switch step {
		case app.StepPay:
			if date, err = tx.payDate(e, note, at); err != nil {
				return err
			}
			note = date
			if len(e.Stages) > 0 {
				note = app.StageNote(stage, date)
			}
		case app.StepAccept:
			if note == "" {
				note = at.Local().Format(app.DateLayout)
			}
			if note > tx.today() {
				return errFutureDate(note)
			}
		case app.StepReject:
			why = note
		}
		if e, err = e.Sign(step, m, key, at, note, rules); err != nil {
			return err
		}
		what := e.ID
		if step == app.StepAccept {
			what = e.ID + " " + note
		}
		if step == app.StepPay {
			if what, err = tx.postExpensePayment(&e, stage, date, name); err != nil {
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
func (db *DB) checkStep(ctx context.Context, step app.SignStep, id, stage, name, note string) (e app.Expense, m app.Member, err error) {
	var rules app.ExpenseRules
	if err = db.view(func(tx *Tx) error {
		var err error
		if e, m, err = tx.trustedStep(step, id, name); err != nil {
			return err
		}
		if rules, err = tx.expenseRules(); err != nil {
			return err
		}
		day := note
		if day == "" {
			day = app.StepTime(ctx, tx.now).Local().Format(app.DateLayout)
		}
		if step == app.StepAccept {
			return e.CheckAccept(m, day, rules)
		}
		if err := e.Check(step, m, rules); err != nil {
			return err
		}
		if step == app.StepPay {
			return e.CheckStage(stage, day)
		}
		return nil
	}); err != nil {
		return e, m, err
	}
	if step == app.StepReject && note == "" {
		return e, m, app.Errorf(app.EINVALID, "驳回必须说明原因（--reason）", "a rejection needs a reason (--reason)")
	}
	if step == app.StepPay && e.Fund == app.FundMaintenance {
		passed, err := db.voteService().MatterPassed(ctx, e.Vote, e.Matter)
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
		date = at.Local().Format(app.DateLayout)
	}
	if date > tx.today() {
		return date, errFutureDate(date)
	}
	if date < e.Applied.Local().Format(app.DateLayout) {
		return date, app.Errorf(app.EINVALID, "支付日期 %s 早于申请日期 %s", "the payment date %s is before the application date %s", date, e.Applied.Local().Format(app.DateLayout))
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
		if e.Fund == app.FundMaintenance {
			if err := tx.checkAnnounced(e, date); err != nil {
				return date, err
			}
		}
	}
	return date, nil
}

// checkAnnounced refuses to pay a maintenance-fund request on date before the result of
// its vote was announced (`report tally` printed: the print log holds app.TallyDoc) and
// the 公示期 (settings --notice-days, default 15) counted from the first print has
// passed: an announcement printed on D with a 15-day period may be paid on D+15.
func (tx *Tx) checkAnnounced(e app.Expense, date string) error {
	var first *app.PrintRecord
	if err := eachJSON(tx, printKey(app.TallyDoc(e.Vote), -1), func(_ string, r app.PrintRecord) error {
		if first == nil {
			first = &r
		}
		return nil
	}); err != nil {
		return err
	}
	if first == nil {
		return app.Errorf(app.EINVALID, "表决 %s 的结果还没有公告（report tally --vote %s 打印表决结果公告），支出申请 %s 不能动用维修资金；没有支付",
			"the result of vote %s has not been announced yet (print it with report tally --vote %s): expense request %s cannot be paid from the maintenance fund; nothing was paid", e.Vote, e.Vote, e.ID)
	}
	var c app.Community
	if _, err := tx.get(keyCommunity, &c); err != nil {
		return err
	}
	days := c.Notices.Days()
	announced := first.At.Local().Format(app.DateLayout)
	from := first.At.Local().AddDate(0, 0, days).Format(app.DateLayout)
	if date < from {
		return app.Errorf(app.EINVALID, "表决 %s 的结果于 %s 公告，公示期 %d 天，%s 起才能支付支出申请 %s（支付日期 %s）；没有支付",
			"the result of vote %s was announced on %s with a %d-day notice period: expense request %[5]s can be paid from %[4]s on, not on %[6]s; nothing was paid",
			e.Vote, announced, days, from, e.ID, date)
	}
	return nil
}

// postExpensePayment checks the fund can pay the signed request e and posts its
// payment entry dated date, recording the entry on e. It returns the audit line.
// With a stage, it posts that stage's entry and records it on the stage (and on e
// too when it is the last).
func (tx *Tx) postExpensePayment(e *app.Expense, stage, date, who string) (string, error) {
	pay := *e
	je, err := e.PaymentEntry(date)
	if stage != "" {
		pay.Amount = e.Stages[e.Stage(stage)].Amount
		je, err = e.StagePaymentEntry(stage, date)
	}
	if err != nil {
		return "", err
	}
	if err := tx.checkFunds(pay); err != nil {
		return "", err
	}
	if je, err = tx.postEntry(je, who); err != nil {
		return "", err
	}
	if stage == "" {
		e.Entry = je.Seq
		return fmt.Sprintf("%s #%d %s %s", e.ID, je.Seq, app.PlainAmount(e.Amount), e.Payee), nil
	}
	e.Stages[e.Stage(stage)].Entry = je.Seq
	if e.State == app.ExpensePaid {
		e.Entry = je.Seq
	}
	return fmt.Sprintf("%s/%s #%d %s %s", e.ID, stage, je.Seq, app.PlainAmount(pay.Amount), e.Payee), nil
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

// trustedStep loads request id and member name for a step and checks, before anything
// is signed or paid, that the roster holds and that every signature already on the
// request verifies over its canonical content (which includes its id and the sealed
// roster's hash) and makes its state: a state set by editing the store, or signatures
// copied from another request, are refused here, not only by verify afterwards.
func (tx *Tx) trustedStep(step app.SignStep, id, name string) (app.Expense, app.Member, error) {
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

var stepZH = map[app.SignStep]string{app.StepApprove: "联签", app.StepReview: "复核", app.StepPay: "支付", app.StepReject: "驳回", app.StepApply: "申请", app.StepAccept: "验收"}

// refusedStep says that a step was refused because the stored records do not hold.
func refusedStep(step app.SignStep, id string, err error) error {
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Code == app.EINTERNAL {
		return err
	}
	return &app.Error{Code: app.EINVALID,
		ZH: fmt.Sprintf("拒绝%s支出申请 %s，没有做任何更改：%s", stepZH[step], id, ae.ZH),
		EN: fmt.Sprintf("refused to %s expense request %s; nothing was changed: %s", step, id, ae.EN)}
}
