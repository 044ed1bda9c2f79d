package app

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// CashDeposit is cash of a fund taken to the bank (现金存行): the fund's cash on hand
// goes down and its bank account up by the same amount, with the bank's deposit slip
// (缴款单) number as the evidence. Cash on hand is the riskiest money a committee holds,
// so it is banked promptly and every deposit can be matched to a slip.
type CashDeposit struct {
	Fund   Fund            `json:"fund"`
	Amount decimal.Decimal `json:"amount"`
	Slip   string          `json:"slip"`
	Date   string          `json:"date"` // YYYY-MM-DD; "" = today
	Entry  int64           `json:"entry,omitempty"`
	Who    string          `json:"who,omitempty"`
	// Reversed is the entry that reversed this deposit's entry (a correction), 0 if none.
	Reversed int64 `json:"reversed,omitempty"`
	// Scan is the bank slip's scan or photo, kept as an attachment (content-addressed,
	// as an expense's invoices); ScanFile is the file as handed in, never stored.
	Scan     *Attachment     `json:"scan,omitempty"`
	ScanFile *AttachmentFile `json:"-"`
	// Confirmed is a second member's signed confirmation that the slip and its scan show
	// this amount deposited (docs/bank.md "Two people per deposit"); nil until then.
	Confirmed *Signature `json:"confirmed,omitempty"`
}

// StepConfirmDeposit is the signature step of a deposit's confirmation.
const StepConfirmDeposit SignStep = "confirm-deposit"

// DepositMessage is what a confirming member signs: the deposit's fund, amount, slip,
// date, entry, who recorded it and the scan's SHA-256, with the signer, role and time.
func DepositMessage(d CashDeposit, s Signature) []byte {
	scan := ""
	if d.Scan != nil {
		scan = d.Scan.SHA256
	}
	return []byte(strings.Join([]string{"sunledger deposit confirmation v1", string(d.Fund), d.Amount.StringFixed(2), strings.TrimSpace(d.Slip), d.Date,
		fmt.Sprint(d.Entry), d.Who, scan, string(s.Step), s.Signer, string(s.Role), s.At.UTC().Format(time.RFC3339)}, "\n"))
}

// Confirm returns d confirmed by member m, signed with key at at: refused (nothing
// changed) for a deposit already confirmed or reversed, one without its slip's scan,
// a member who is not serving, and the member who recorded it.
func (d CashDeposit) Confirm(m Member, key ed25519.PrivateKey, at time.Time) (CashDeposit, error) {
	switch {
	case d.Confirmed != nil:
		return d, Errorf(ECONFLICT, "缴款单 %s 已由 %s 于 %s 确认；没有做任何更改", "deposit slip %s was already confirmed by %s on %s; nothing was changed", d.Slip, d.Confirmed.Signer, d.Confirmed.At.Local().Format(DateLayout))
	case d.Reversed != 0:
		return d, Errorf(ECONFLICT, "缴款单 %s 的存款已被凭证 #%d 冲销，不需要确认；没有做任何更改", "the deposit of slip %s was reversed by entry #%d and needs no confirmation; nothing was changed", d.Slip, d.Reversed)
	case d.Scan == nil:
		return d, Errorf(EINVALID, "缴款单 %s 还没有扫描件：确认前请附上银行缴款单的扫描件或照片（--scan）；没有做任何更改", "deposit slip %s has no scan: attach the bank slip's scan or photo (--scan) before confirming; nothing was changed", d.Slip)
	case !m.Active():
		return d, Errorf(EUNAUTHORIZED, "%s 已被移出成员名单（%s），不能再签名", "%s was removed from the roster (%s) and can no longer sign", m.Name, m.Removed)
	case m.Name == d.Who:
		return d, Errorf(EUNAUTHORIZED, "%s 登记了缴款单 %s，须由另一位成员确认；没有做任何更改", "%s recorded deposit slip %s: another member must confirm it; nothing was changed", m.Name, d.Slip)
	}
	s := Signature{Step: StepConfirmDeposit, Signer: m.Name, Role: m.Role, At: at.UTC().Truncate(time.Second)}
	s.Sig = ed25519.Sign(key, DepositMessage(d, s))
	d.Confirmed = &s
	return d, nil
}

// CheckConfirmation verifies a confirmed deposit's signature with the signer's public
// key; nil for a deposit not confirmed.
func (d CashDeposit) CheckConfirmation(pub ed25519.PublicKey) error {
	if d.Confirmed == nil {
		return nil
	}
	if !ed25519.Verify(pub, DepositMessage(d, *d.Confirmed), d.Confirmed.Sig) {
		return Errorf(EINVALID, "缴款单 %s 的确认签名（%s）与记录不符：记录在签名后被改动过", "the confirmation of deposit slip %s (%s) does not match the record: it was changed after it was signed", d.Slip, d.Confirmed.Signer)
	}
	return nil
}

// Validate checks a deposit as typed.
func (d CashDeposit) Validate() error {
	if _, err := ParseFund(string(d.Fund)); err != nil {
		return err
	}
	if !d.Amount.IsPositive() || !d.Amount.Equal(d.Amount.Round(2)) {
		return Errorf(EINVALID, "存款金额必须大于 0、最多两位小数；没有做任何更改", "a deposit must be more than 0 with at most 2 decimals; nothing was changed")
	}
	slip := strings.TrimSpace(d.Slip)
	if slip == "" || len([]rune(slip)) > 40 || strings.ContainsAny(slip, "/\n\r") {
		return Errorf(EINVALID, "请填写银行缴款单号（最多 40 个字符，不含 /）；没有做任何更改", "give the bank's deposit slip number (up to 40 characters, no /); nothing was changed")
	}
	if d.Date != "" {
		return ValidDate(d.Date)
	}
	return nil
}

// JournalEntry is the deposit's entry: bank up, cash down, in the same fund.
func (d CashDeposit) JournalEntry() Entry {
	return Entry{Date: d.Date, Description: "现金存入银行 缴款单 " + strings.TrimSpace(d.Slip), Ref: DocDeposit.Ref(strings.TrimSpace(d.Slip)),
		Postings: []Posting{
			{Account: BankAccount(d.Fund), Amount: d.Amount},
			{Account: CashAccount(d.Fund), Amount: d.Amount.Neg()},
		}}
}

// CashWarning is a fund holding more cash than the committee's limit.
type CashWarning struct {
	Fund  Fund
	Cash  decimal.Decimal
	Limit decimal.Decimal
}

// CashWarnings lists the funds whose cash on hand is above their limit (a fund without a
// limit is not checked), in fund order.
func CashWarnings(bals []AccountBalance, limits map[Fund]decimal.Decimal) []CashWarning {
	var out []CashWarning
	for _, f := range Funds {
		lim, ok := limits[f]
		if !ok {
			continue
		}
		cash := decimal.Zero
		for _, b := range bals {
			if b.Account == CashAccount(f) {
				cash = cash.Add(b.Balance)
			}
		}
		if cash.GreaterThan(lim) {
			out = append(out, CashWarning{Fund: f, Cash: cash, Limit: lim})
		}
	}
	return out
}

// CashService records cash taken to the bank and the limits of cash on hand.
type CashService interface {
	// DepositCash posts a deposit. EINVALID for bad input, a date in the future or more
	// than the fund's cash on hand; ECONFLICT for a slip already used; ELOCKED for a
	// locked period.
	DepositCash(ctx context.Context, d CashDeposit, who, why string) (CashDeposit, error)
	// CashDeposits lists the deposits by slip number.
	CashDeposits(ctx context.Context) ([]CashDeposit, error)
	// AttachDepositScan keeps the slip's scan with a deposit recorded without one.
	// ECONFLICT when it has one (a confirmed deposit's scan never changes).
	AttachDepositScan(ctx context.Context, slip string, f AttachmentFile, who string) (CashDeposit, error)
	// ConfirmDeposit adds a second member's signed confirmation (their passphrase
	// unlocks their key): EUNAUTHORIZED for the member who recorded it, a wrong
	// passphrase or a member not serving; EINVALID without a scan; ECONFLICT once
	// confirmed or reversed.
	ConfirmDeposit(ctx context.Context, slip, member, passphrase string) (CashDeposit, error)
	// DepositScan returns a deposit's scan with its bytes.
	DepositScan(ctx context.Context, slip string) (Attachment, []byte, error)
	// SetCashLimit sets the most cash a fund should hold (0 removes the limit).
	SetCashLimit(ctx context.Context, f Fund, limit decimal.Decimal, who, why string) error
	// CashLimits returns the limits set, by fund.
	CashLimits(ctx context.Context) (map[Fund]decimal.Decimal, error)
	// SetCashDays sets within how many days cash received should be banked (0: not
	// checked).
	SetCashDays(ctx context.Context, days int, who, why string) error
	// CashDays is that number of days (0 if not set).
	CashDays(ctx context.Context) (int, error)
}

// CashAgeWarning is cash of a fund received more than the committee's number of days
// ago and still not taken to the bank.
type CashAgeWarning struct {
	Fund   Fund
	Amount decimal.Decimal // the part of the cash on hand received before the cut-off
	Since  string          // the oldest such receipt's date
	Days   int
}

// UndepositedCash finds the cash of a fund held longer than days on asOf. Cash leaves
// first in, first out: the cash on hand is taken to be the newest receipts that add up to
// it (items are the cash account's movements up to asOf, oldest first), and the part of
// it received more than days before asOf is the warning. days ≤ 0 checks nothing.
func UndepositedCash(f Fund, items []BookItem, asOf string, days int) (CashAgeWarning, bool) {
	w := CashAgeWarning{Fund: f, Days: days}
	if days <= 0 {
		return w, false
	}
	t, err := time.Parse(DateLayout, asOf)
	if err != nil {
		return w, false
	}
	cut := t.AddDate(0, 0, -days).Format(DateLayout)
	held := decimal.Zero
	for _, it := range items {
		if it.Date <= asOf {
			held = held.Add(it.Amount)
		}
	}
	for i := len(items) - 1; i >= 0 && held.IsPositive(); i-- {
		it := items[i]
		if it.Date > asOf || !it.Amount.IsPositive() {
			continue
		}
		part := decimal.Min(it.Amount, held)
		held = held.Sub(part)
		if it.Date < cut {
			w.Amount = w.Amount.Add(part)
			w.Since = it.Date
		}
	}
	return w, w.Amount.IsPositive()
}

// CashItems are the movements of the fund's cash account up to asOf (entries 1..upTo;
// upTo ≤ 0: all) that the cash box's figures need: its balance (their sum) and the
// receipts UndepositedCash walks back through for a limit of days. They are read from
// the last month or two (BankService.BookItemsFrom), the earlier ones folded into one
// opening item; when the cash held goes back further than the receipts read, every item
// is read instead, so the figures are those of the whole journal.
func CashItems(ctx context.Context, b BankService, f Fund, asOf string, days int, upTo int64) ([]BookItem, error) {
	account := CashAccount(f)
	from := asOf
	if t, err := time.Parse(DateLayout, asOf); err == nil {
		from = t.AddDate(0, 0, -max(days, 0)-31).Format(DateLayout)
	}
	from = from[:min(7, len(from))] + "-01"
	its, err := b.BookItemsFrom(ctx, account, from, asOf, upTo)
	if err != nil || len(its) == 0 || its[0].Seq != 0 || days <= 0 {
		return its, err
	}
	held, received := decimal.Zero, decimal.Zero
	for _, it := range its {
		held = held.Add(it.Amount)
		if it.Seq != 0 && it.Amount.IsPositive() {
			received = received.Add(it.Amount)
		}
	}
	if !held.GreaterThan(received) {
		return its, nil // the walk back ends within the items read
	}
	all, err := b.BookItems(ctx, account)
	return FoldBookItems(all, "", asOf, upTo), err
}

// BookItemReader reads an account's book items, all of them or a period's
// (BankService's BookItems and BookItemsFrom).
type BookItemReader interface {
	BookItems(ctx context.Context, account string) ([]BookItem, error)
	BookItemsFrom(ctx context.Context, account, from, to string, upTo int64) ([]BookItem, error)
}

// MatchItems are the account's items that ProposeMatches needs for the statement's
// lines: those dated from the month of MatchWindowDays before the first line on (no
// item dated earlier can be proposed to a line), read from that period alone.
func MatchItems(ctx context.Context, b BookItemReader, account string, lines []StatementLine) ([]BookItem, error) {
	if len(lines) == 0 {
		return nil, nil
	}
	t, err := time.Parse(DateLayout, lines[0].Date)
	if err != nil {
		return b.BookItems(ctx, account)
	}
	from := t.AddDate(0, 0, -MatchWindowDays-1).Format(DateLayout)[:7] + "-01"
	its, err := b.BookItemsFrom(ctx, account, from, "9999-12-31", 0)
	out := its[:0]
	for _, it := range its {
		if it.Seq != 0 { // the earlier items folded into one: never a candidate
			out = append(out, it)
		}
	}
	return out, err
}

// ReconcileAt reconciles the bank account at the end of month (ReconcileBank) from its
// statement lines and its movements up to to (entries 1..upTo; upTo ≤ 0: all), read from
// the month of the statement's first line on (BankService.BookItemsFrom). When the
// movements before the statement do not add up to its opening balance, the one item
// they are folded into would be listed as not on the statement: then it reconciles
// from every movement, each listed as before.
func ReconcileAt(ctx context.Context, b BookItemReader, account, month, to string, upTo int64, lines []StatementLine) (Reconciliation, error) {
	if len(lines) == 0 || len(lines[0].Date) < 7 {
		return ReconcileBank(account, month, lines, nil)
	}
	its, err := b.BookItemsFrom(ctx, account, lines[0].Date[:7]+"-01", to, upTo)
	if err != nil {
		return Reconciliation{}, err
	}
	r, err := ReconcileBank(account, month, lines, its)
	if err != nil {
		return r, err
	}
	for _, it := range r.BookOnly {
		if it.Seq == 0 {
			all, err := b.BookItems(ctx, account)
			if err != nil {
				return Reconciliation{}, err
			}
			return ReconcileBank(account, month, lines, FoldBookItems(all, "", to, upTo))
		}
	}
	return r, nil
}

// CashBoxWarnings are the warnings about money the dashboard, verify and the quarterly
// disclosure show on asOf (YYYY-MM-DD): cash over a fund's limit, cash not banked within
// the committee's number of days, and bank accounts whose reconciliation at the end of
// asOf's month shows an unexplained difference. upTo > 0 counts only the journal's
// first upTo entries (a snapshot's view).
func CashBoxWarnings(ctx context.Context, s Services, asOf string, upTo int64) ([]string, error) {
	if s.Cash == nil || s.Bank == nil {
		return nil, nil
	}
	var out []string
	limits, err := s.Cash.CashLimits(ctx)
	if err != nil {
		return nil, err
	}
	days, err := s.Cash.CashDays(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range Funds {
		_, limited := limits[f]
		if !limited && days <= 0 {
			continue
		}
		its, err := CashItems(ctx, s.Bank, f, asOf, days, upTo)
		if err != nil {
			return nil, err
		}
		cash := decimal.Zero
		for _, it := range its {
			cash = cash.Add(it.Amount)
		}
		if lim, ok := limits[f]; ok && cash.GreaterThan(lim) {
			out = append(out, tf("%s库存现金 %s，超过限额 %s，请尽快存入银行", "%s holds %s in cash, over its limit of %s: take it to the bank",
				f.Label(), FormatAmount(cash), FormatAmount(lim)))
		}
		if w, ok := UndepositedCash(f, its, asOf, days); ok {
			out = append(out, tf("%s有 %s 现金收款超过 %d 天未存入银行（最早 %s）", "%s holds %s of cash received more than %d days ago and not banked (the oldest on %s)",
				f.Label(), FormatAmount(w.Amount), days, w.Since))
		}
	}
	deps, err := s.Cash.CashDeposits(ctx)
	if err != nil {
		return nil, err
	}
	waiting, sum, oldest := 0, decimal.Zero, ""
	for _, d := range deps {
		if d.Date > asOf || (upTo > 0 && d.Entry > upTo) || d.Reversed != 0 || d.Confirmed != nil {
			continue
		}
		waiting, sum = waiting+1, sum.Add(d.Amount)
		if oldest == "" || d.Date < oldest {
			oldest = d.Date
		}
	}
	if waiting > 0 {
		out = append(out, tf("%d 笔现金存款（合计 %s，最早 %s）尚待另一位成员核对缴款单后确认（ledger deposit-confirm）", "%d cash deposits (%s in all, the oldest on %s) await a second member's check of the slip and confirmation (ledger deposit-confirm)",
			waiting, FormatAmount(sum), oldest))
	}
	accounts, err := s.Bank.BankAccounts(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		lines, err := s.Bank.StatementLines(ctx, a)
		if err != nil {
			return nil, err
		}
		if len(lines) == 0 || lines[0].Date > asOf {
			continue
		}
		r, err := ReconcileAt(ctx, s.Bank, a, asOf[:7], asOf, upTo, lines)
		if err != nil {
			return nil, err
		}
		if !r.Difference.IsZero() {
			out = append(out, tf("%s 的银行存款余额调节表（%s）有未解释的差额 %s", "the bank reconciliation of %s (%s) shows an unexplained difference of %s",
				a, r.Period, PlainAmount(r.Difference)))
		}
	}
	return out, nil
}

func tf(zh, en string, args ...any) string { return fmt.Sprintf(T(zh, en), args...) }
