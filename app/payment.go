package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Payments of property fees: how they are made (payment methods), what the committee
// types (PaymentRequest), the receipt they become (Payment) and its journal entry.

// PaymentMethod is how a payment was made, as typed on the command line.
type PaymentMethod string

// The payment methods.
const (
	MethodCash   PaymentMethod = "cash"
	MethodBank   PaymentMethod = "bank"
	MethodWeChat PaymentMethod = "wechat"
	MethodAlipay PaymentMethod = "alipay"
)

// ParseMethod reads --method: cash, bank, wechat, alipay (or 现金, 银行, 微信, 支付宝).
func ParseMethod(s string) (PaymentMethod, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "", "bank", "银行", "银行转账":
		return MethodBank, nil
	case "cash", "现金":
		return MethodCash, nil
	case "wechat", "weixin", "微信":
		return MethodWeChat, nil
	case "alipay", "支付宝":
		return MethodAlipay, nil
	}
	return "", Errorf(EINVALID, "未知的付款方式 %q：应为 cash、bank、wechat 或 alipay", "unknown payment method %q: use cash, bank, wechat or alipay", s)
}

// MethodLabel names a payment method on receipts.
func MethodLabel(m PaymentMethod) string {
	switch m {
	case MethodCash:
		return T("现金", "cash")
	case MethodBank:
		return T("银行转账", "bank transfer")
	case MethodWeChat:
		return T("微信", "WeChat")
	case MethodAlipay:
		return T("支付宝", "Alipay")
	}
	return string(m)
}

// MethodAccount is where money paid by a method lands: cash in the fund's cash box,
// everything else (bank transfer, WeChat and Alipay settlements) in its trust account.
func MethodAccount(f Fund, method PaymentMethod) string {
	if method == MethodCash {
		return CashAccount(f)
	}
	return BankAccount(f)
}

// PaymentRequest is a payment as the treasurer records it.
type PaymentRequest struct {
	Unit   string          `json:"unit"`
	Amount decimal.Decimal `json:"amount"`
	Date   string          `json:"date"` // YYYY-MM-DD; "" = today
	Method PaymentMethod   `json:"method"`
	// Bills, if set, are the months the payer chose to pay (else oldest first).
	Bills []string `json:"bills,omitempty"`
	Payer string   `json:"payer,omitempty"` // who handed it over, if not the owner
	// AllowLarge confirms a prepayment of more than LargePrepaymentMonths months' fees
	// (CheckPrepayment); without it such a payment is refused.
	AllowLarge bool `json:"allow_large,omitempty"`
}

// Validate checks a payment as typed: a unit, a positive amount kept to 分, a real date
// (if given) and a known method.
func (p PaymentRequest) Validate() error {
	if strings.TrimSpace(p.Unit) == "" {
		return Errorf(EINVALID, "请指定房号（--unit）", "name the unit (--unit)")
	}
	if !p.Amount.IsPositive() {
		return Errorf(EINVALID, "缴费金额必须大于 0（收到 %s）", "a payment must be more than 0 (got %s)", p.Amount.String())
	}
	if !p.Amount.Equal(p.Amount.Round(2)) {
		return Errorf(EINVALID, "金额 %s 最多两位小数", "amount %s has more than 2 decimals", p.Amount.String())
	}
	if err := CheckAmount("缴费", "payment", p.Amount); err != nil {
		return err
	}
	if err := CheckText("付款人", "payer", p.Payer, MaxNameRunes); err != nil {
		return err
	}
	if p.Date != "" {
		if err := ValidDate(p.Date); err != nil {
			return err
		}
	}
	if _, err := ParseMethod(string(p.Method)); err != nil {
		return err
	}
	if len(p.Bills) > 1200 {
		return Errorf(EINVALID, "选了太多月份（%d 个）", "too many months chosen (%d)", len(p.Bills))
	}
	for _, m := range p.Bills {
		if _, err := ParseMonth(m); err != nil {
			return err
		}
	}
	return nil
}

// Payment is a recorded fee payment and its receipt (收据): the receipt number is in
// one unbroken sequence, R00000001, R00000002, …
type Payment struct {
	Receipt     string          `json:"receipt"`
	Unit        string          `json:"unit"`
	Payer       string          `json:"payer"`
	Amount      decimal.Decimal `json:"amount"`
	Date        string          `json:"date"`
	Method      PaymentMethod   `json:"method"`
	Allocations []Allocation    `json:"allocations,omitempty"`
	Credit      decimal.Decimal `json:"credit"` // the part kept as prepayment
	EntrySeq    int64           `json:"entry_seq"`
	Who         string          `json:"who"`
	At          time.Time       `json:"at"`
	// Reversed is the entry that reversed this receipt, 0 while it stands.
	Reversed int64 `json:"reversed,omitempty"`
}

// ReceiptNo formats the n-th receipt number.
func ReceiptNo(n int64) string { return "R" + leftPad(strconv.FormatInt(n, 10), 8) }

func leftPad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// PaymentEntry is the journal entry of a payment: the money into the fund's bank or
// cash account, out of receivables for what paid bills and into prepaid fees for the rest.
func PaymentEntry(p Payment) Entry {
	// The journal is published in every snapshot: it names the unit, never the payer
	// (whose name stays on the receipt, kept on the laptop).
	return Entry{Date: p.Date, Ref: DocReceipt.Ref(p.Receipt),
		Description: "收物业费 " + p.Unit + "（" + MethodLabelZH(p.Method) + "）",
		Postings:    PaymentPostings(p, nil)}
}

// The service fund's accounts a payment posts to.
var (
	serviceBank       = MethodAccount(FundService, MethodBank)
	serviceCash       = MethodAccount(FundService, MethodCash)
	serviceReceivable = ReceivableAccount(FundService)
)

// PaymentPostings are the postings of PaymentEntry(p), appended to ps (verify compares
// every receipt's with its entry's without building the rest of the entry).
func PaymentPostings(p Payment, ps []Posting) []Posting {
	paymentPostings(p.Method, p.Amount, p.Credit, decimal.Decimal.Sub, decimal.Decimal.IsPositive, decimal.Decimal.Neg,
		func(account string, amount decimal.Decimal) {
			ps = append(ps, Posting{Account: account, Amount: amount})
		})
	return ps
}

// PaymentPostingsCents is PaymentPostings for a receipt's amount and credit in whole
// hundredths: post gets each posting's account and amount, in order.
func PaymentPostingsCents(method PaymentMethod, amount, credit int64, post func(account string, cents int64)) {
	paymentPostings(method, amount, credit, func(a, b int64) int64 { return a - b }, func(a int64) bool { return a > 0 },
		func(a int64) int64 { return -a }, post)
}

// paymentPostings is the rule of a receipt's entry, whatever the amounts are held in:
// the money on the method's account, the bills it paid off the receivable, the rest to
// prepaid fees.
func paymentPostings[A any](method PaymentMethod, amount, credit A, minus func(a, b A) A, positive func(A) bool, neg func(A) A, post func(string, A)) {
	account := serviceBank // MethodAccount(FundService, p.Method), named once
	if method == MethodCash {
		account = serviceCash
	}
	post(account, amount)
	if billed := minus(amount, credit); positive(billed) {
		post(serviceReceivable, neg(billed))
	}
	if positive(credit) {
		post(PrepaidFeesAccount, neg(credit))
	}
}

// MethodLabelZH is the Chinese method name used inside journal descriptions, which stay
// Chinese whatever the user's language so the exported books read the same for all.
func MethodLabelZH(m PaymentMethod) string {
	switch m {
	case MethodCash:
		return "现金"
	case MethodBank:
		return "银行转账"
	case MethodWeChat:
		return "微信"
	case MethodAlipay:
		return "支付宝"
	}
	return string(m)
}
