package app

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// Tests seal keys with a small KDF: the parameters are stored with each key, so this
// changes speed, not behaviour.
func init() { DefaultKDF.MemoryKiB = 1024 }

type testPerson struct {
	m   Member
	key ed25519.PrivateKey
}

func person(t *testing.T, name string, role Role) testPerson {
	t.Helper()
	m, err := NewMember(name, role, "pass-"+name, nil)
	if err != nil {
		t.Fatal(err)
	}
	k, err := m.Unlock("pass-" + name)
	if err != nil {
		t.Fatal(err)
	}
	return testPerson{m, k}
}

var (
	t0   = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	amt  = decimal.RequireFromString("1234.50")
	big  = decimal.RequireFromString("90000.00")
	none = ExpenseRules{}
)

func applied(clerk string, amount decimal.Decimal, f Fund) Expense {
	cat := "cleaning"
	e := Expense{ID: "E000001", Fund: f, Category: cat, Payee: "清洁公司", Amount: amount, Description: "三月保洁",
		Applicant: clerk, Applied: t0, State: ExpenseApplied}
	if f == FundMaintenance {
		e.Category, e.Vote, e.Matter = "repair", "V0001", 1
	}
	return e
}

func TestExpenseChain_StepRules(t *testing.T) {
	clerk := person(t, "王经办", RoleClerk)
	chair := person(t, "张主任", RoleChair)
	treas := person(t, "李财务", RoleTreasurer)
	memb := person(t, "陈委员", RoleMember)
	rev := person(t, "赵复核", RoleReviewer)
	// a committee member who applied for an office expense
	chairApplied := applied(chair.m.Name, amt, FundService)

	sign := func(e Expense, step SignStep, p testPerson, r ExpenseRules) Expense {
		t.Helper()
		e, err := e.Sign(step, p.m, p.key, t0.Add(time.Hour), "2026-03-05", r)
		if err != nil {
			t.Fatalf("setup %s by %s: %v", step, p.m.Name, err)
		}
		return e
	}
	fresh := applied(clerk.m.Name, amt, FundService)
	one := sign(fresh, StepApprove, chair, none)
	two := sign(one, StepApprove, memb, none) // the treasurer stays free to pay
	reviewed := sign(two, StepReview, rev, none)
	paid := sign(reviewed, StepPay, treas, none)
	rejected, _ := fresh.Sign(StepReject, chair.m, chair.key, t0, "发票不全", none)
	above := ExpenseRules{ReviewAbove: decimal.NewFromInt(5000)}

	tests := []struct {
		name  string
		e     Expense
		step  SignStep
		who   testPerson
		rules ExpenseRules
		code  Code // "" = allowed
		state ExpenseState
	}{
		{"first committee signature keeps it applied", fresh, StepApprove, chair, none, "", ExpenseApplied},
		{"second distinct signature approves", one, StepApprove, treas, none, "", ExpenseApproved},
		{"a plain committee member may sign", one, StepApprove, memb, none, "", ExpenseApproved},
		{"same member twice is refused", one, StepApprove, chair, none, ECONFLICT, ""},
		{"applicant can never sign own request", chairApplied, StepApprove, chair, none, EUNAUTHORIZED, ""},
		{"clerk cannot sign approvals", fresh, StepApprove, clerk, none, EUNAUTHORIZED, ""},
		{"reviewer cannot sign approvals", fresh, StepApprove, rev, none, EUNAUTHORIZED, ""},
		{"no third approval", two, StepApprove, memb, none, ECONFLICT, ""},
		{"review before two signatures is refused", one, StepReview, rev, none, EINVALID, ""},
		{"only the reviewer reviews", two, StepReview, chair, none, EUNAUTHORIZED, ""},
		{"review after two signatures", two, StepReview, rev, none, "", ExpenseReviewed},
		{"review twice is refused", reviewed, StepReview, rev, none, ECONFLICT, ""},
		{"paying with one signature is refused", one, StepPay, treas, none, EINVALID, ""},
		{"paying without the review is refused", two, StepPay, treas, none, EINVALID, ""},
		{"small request below the threshold pays without review", two, StepPay, treas, above, "", ExpensePaid},
		{"paying a reviewed request", reviewed, StepPay, treas, none, "", ExpensePaid},
		{"clerk cannot pay", reviewed, StepPay, clerk, none, EUNAUTHORIZED, ""},
		{"paying twice is refused", paid, StepPay, treas, none, ECONFLICT, ""},
		{"an approver cannot pay", reviewed, StepPay, chair, none, EUNAUTHORIZED, ""},
		{"reject at application", fresh, StepReject, chair, none, "", ExpenseRejected},
		{"reject after approval", two, StepReject, rev, none, "", ExpenseRejected},
		{"applicant may withdraw", fresh, StepReject, clerk, none, "", ExpenseRejected},
		{"a paid request cannot be rejected", paid, StepReject, chair, none, ECONFLICT, ""},
		{"a rejected request cannot be approved", rejected, StepApprove, treas, none, ECONFLICT, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.e.Sign(tc.step, tc.who.m, tc.who.key, t0.Add(2*time.Hour), "2026-03-06", tc.rules)
			if ErrorCode(err) != tc.code {
				t.Fatalf("code = %q (%v), want %q", ErrorCode(err), err, tc.code)
			}
			if err != nil {
				if len(got.Signatures) != len(tc.e.Signatures) || got.State != tc.e.State {
					t.Errorf("a refused step changed the request")
				}
				return
			}
			if got.State != tc.state {
				t.Errorf("state = %s, want %s", got.State, tc.state)
			}
			members := map[string]Member{}
			for _, p := range []testPerson{clerk, chair, treas, memb, rev} {
				members[p.m.Name] = p.m
			}
			if err := VerifyExpense(got, members); err != nil {
				t.Errorf("verify after %s: %v", tc.step, err)
			}
		})
	}
}

// Separation of duties (不相容职务分离, docs/roster.md): the payer holds the paying
// role (treasurer) and is neither the applicant nor one of the two approvers.
func TestExpense_PayerIsATreasurerWhoNeitherAppliedNorApproved(t *testing.T) {
	clerk := person(t, "王经办", RoleClerk)
	chair := person(t, "张主任", RoleChair)
	treas := person(t, "李财务", RoleTreasurer)
	treas2 := person(t, "孙财务", RoleTreasurer)
	memb := person(t, "陈委员", RoleMember)
	rev := person(t, "赵复核", RoleReviewer)
	chain := func(applicant testPerson, approvers ...testPerson) Expense {
		t.Helper()
		e := applied(applicant.m.Name, amt, FundService)
		for _, p := range approvers {
			var err error
			if e, err = e.Sign(StepApprove, p.m, p.key, t0.Add(time.Hour), "", none); err != nil {
				t.Fatalf("setup: approval by %s: %v", p.m.Name, err)
			}
		}
		e, err := e.Sign(StepReview, rev.m, rev.key, t0.Add(2*time.Hour), "", none)
		if err != nil {
			t.Fatalf("setup: review: %v", err)
		}
		return e
	}
	tests := []struct {
		name  string
		e     Expense
		payer testPerson
		code  Code   // "" = paid
		why   string // in the Chinese message
		whyEN string
	}{
		{"a treasurer who took no part pays", chain(clerk, chair, memb), treas, "", "", ""},
		{"the treasurer who approved cannot pay", chain(clerk, chair, treas), treas, EUNAUTHORIZED, "联签了", "approved"},
		{"another treasurer pays what the first approved", chain(clerk, chair, treas), treas2, "", "", ""},
		{"a treasurer cannot pay their own application", chain(treas, chair, memb), treas, EUNAUTHORIZED, "申请人", "applied for"},
		{"the chair who did not approve still cannot pay", chain(clerk, treas, memb), chair, EUNAUTHORIZED, "只有财务委员", "only a treasurer"},
		{"a plain committee member cannot pay", chain(clerk, chair, treas), memb, EUNAUTHORIZED, "只有财务委员", "only a treasurer"},
		{"the reviewer cannot pay", chain(clerk, chair, memb), rev, EUNAUTHORIZED, "只有财务委员", "only a treasurer"},
		{"the clerk cannot pay", chain(clerk, chair, memb), clerk, EUNAUTHORIZED, "只有财务委员", "only a treasurer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.e.Sign(StepPay, tc.payer.m, tc.payer.key, t0.Add(3*time.Hour), "2026-03-05", none)
			if ErrorCode(err) != tc.code {
				t.Fatalf("code = %q (%v), want %q", ErrorCode(err), err, tc.code)
			}
			if err != nil {
				var ae *Error
				if !errors.As(err, &ae) || !strings.Contains(ae.ZH, tc.why) || !strings.Contains(ae.EN, tc.whyEN) || !strings.Contains(ae.EN, tc.payer.m.Name) {
					t.Errorf("the refusal does not say why in both languages: %+v", ae)
				}
				if got.State != tc.e.State || len(got.Signatures) != len(tc.e.Signatures) {
					t.Error("a refused payment changed the request")
				}
				return
			}
			if got.State != ExpensePaid {
				t.Errorf("state = %s, want paid", got.State)
			}
		})
	}
}

func TestExpense_MaintenanceFundAlwaysNeedsReview(t *testing.T) {
	r := ExpenseRules{ReviewAbove: decimal.NewFromInt(1_000_000)}
	if !r.NeedsReview(applied("x", amt, FundMaintenance)) {
		t.Error("maintenance-fund request skipped the review")
	}
	if r.NeedsReview(applied("x", amt, FundService)) {
		t.Error("small service-fund request needs review despite the threshold")
	}
	if !(ExpenseRules{}).NeedsReview(applied("x", amt, FundService)) {
		t.Error("threshold 0 must mean every request is reviewed")
	}
}

func TestVerifyExpense_CatchesTamperingAfterSigning(t *testing.T) {
	clerk := person(t, "王经办", RoleClerk)
	chair := person(t, "张主任", RoleChair)
	treas := person(t, "李财务", RoleTreasurer)
	members := map[string]Member{clerk.m.Name: clerk.m, chair.m.Name: chair.m, treas.m.Name: treas.m}
	e := applied(clerk.m.Name, amt, FundService)
	var err error
	for _, p := range []testPerson{chair, treas} {
		if e, err = e.Sign(StepApprove, p.m, p.key, t0, "", none); err != nil {
			t.Fatal(err)
		}
	}
	if err := VerifyExpense(e, members); err != nil {
		t.Fatalf("untouched: %v", err)
	}
	tamper := map[string]func(x *Expense){
		"amount": func(x *Expense) { x.Amount = big },
		"payee":  func(x *Expense) { x.Payee = "另一家公司" },
		"fund":   func(x *Expense) { x.Fund = FundPublic },
		"attachment": func(x *Expense) {
			x.Attachments = append(x.Attachments, Attachment{Name: "a.pdf", Size: 1, SHA256: "00"})
		},
		"state":       func(x *Expense) { x.State = ExpenseReviewed },
		"signer":      func(x *Expense) { x.Signatures[1].Signer = clerk.m.Name },
		"drop a sig":  func(x *Expense) { x.Signatures = x.Signatures[:1] },
		"forged sig":  func(x *Expense) { x.Signatures[0].Sig = bytes.Repeat([]byte{1}, 64) },
		"signed time": func(x *Expense) { x.Signatures[0].At = x.Signatures[0].At.Add(time.Hour) },
	}
	for name, f := range tamper {
		x := e
		x.Signatures = append([]Signature(nil), e.Signatures...)
		f(&x)
		if err := VerifyExpense(x, members); ErrorCode(err) != EINVALID {
			t.Errorf("%s changed: verify = %v, want EINVALID", name, err)
		}
	}
	// A replaced public key (someone re-registering a member) is caught too.
	other := person(t, "张主任", RoleChair)
	m2 := map[string]Member{clerk.m.Name: clerk.m, chair.m.Name: other.m, treas.m.Name: treas.m}
	if err := VerifyExpense(e, m2); err == nil {
		t.Error("a swapped public key went unnoticed")
	}
}

// The window's sign-in and the CLI wait after each wrong passphrase in a row, twice as
// long each time, up to a minute.
func TestPassphraseDelay_DoublesAfterEachWrongPassphraseUpToAMinute(t *testing.T) {
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{{-1, 0}, {0, 0}, {1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {4, 8 * time.Second},
		{6, 32 * time.Second}, {7, time.Minute}, {8, time.Minute}, {30, time.Minute}, {1000, time.Minute}} {
		if got := PassphraseDelay(tc.failures); got != tc.want {
			t.Errorf("after %d wrong passphrases: wait %v, want %v", tc.failures, got, tc.want)
		}
	}
}

func TestMember_WrongPassphraseIsUnauthorized(t *testing.T) {
	m, err := NewMember("张主任", RoleChair, "correct horse", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Unlock("wrong horse"); ErrorCode(err) != EUNAUTHORIZED || !WrongPassphrase(err) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	k, err := m.Unlock("correct horse")
	if err != nil || !k.Public().(ed25519.PublicKey).Equal(m.PublicKey) {
		t.Fatalf("right passphrase: %v", err)
	}
	// The sealed key is bound to the name: copied onto another member it does not open.
	other := m
	other.Name = "李财务"
	if _, err := other.Unlock("correct horse"); ErrorCode(err) != EUNAUTHORIZED {
		t.Errorf("sealed key opened under another name: %v", err)
	}
	m2, err := m.Reseal("correct horse", "new passphrase", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m2.Unlock("correct horse"); err == nil {
		t.Error("old passphrase still opens the resealed key")
	}
	if k2, err := m2.Unlock("new passphrase"); err != nil || !bytes.Equal(k2, k) {
		t.Errorf("resealed key: %v", err)
	}
}

func TestNewMember_RejectsBadInput(t *testing.T) {
	for _, tc := range []struct{ name, role, pass string }{
		{"", "chair", "secret"},
		{" 张三", "chair", "secret"},
		{"张三", "boss", "secret"},
		{"张三", "chair", "abc"},
		{strings.Repeat("张", 51), "chair", "secret"},
	} {
		if _, err := NewMember(tc.name, Role(tc.role), tc.pass, nil); ErrorCode(err) != EINVALID {
			t.Errorf("NewMember(%q, %q, %q) = %v, want EINVALID", tc.name, tc.role, tc.pass, err)
		}
	}
	if r, err := ParseRole("社区复核人"); err != nil || r != RoleReviewer {
		t.Errorf("ParseRole(社区复核人) = %v, %v", r, err)
	}
}

func TestExpenseRequest_Validate(t *testing.T) {
	ok := ExpenseRequest{Fund: FundService, Category: "cleaning", Payee: "清洁公司", Amount: amt, Description: "保洁"}
	tests := []struct {
		name string
		edit func(r *ExpenseRequest)
		code Code
	}{
		{"fine", func(r *ExpenseRequest) {}, ""},
		{"budget line of the same fund", func(r *ExpenseRequest) { r.BudgetLine = "2026:service:cleaning" }, ""},
		{"budget line of another fund", func(r *ExpenseRequest) { r.BudgetLine = "2026:public:cleaning" }, EINVALID},
		{"budget line of another category", func(r *ExpenseRequest) { r.BudgetLine = "2026:service:staff" }, EINVALID},
		{"zero amount", func(r *ExpenseRequest) { r.Amount = decimal.Zero }, EINVALID},
		{"negative amount", func(r *ExpenseRequest) { r.Amount = amt.Neg() }, EINVALID},
		{"three decimals", func(r *ExpenseRequest) { r.Amount = decimal.RequireFromString("1.005") }, EINVALID},
		{"no payee", func(r *ExpenseRequest) { r.Payee = " " }, EINVALID},
		{"no description", func(r *ExpenseRequest) { r.Description = "" }, EINVALID},
		{"unknown fund", func(r *ExpenseRequest) { r.Fund = "cash" }, EINVALID},
		{"unknown category", func(r *ExpenseRequest) { r.Category = "party" }, EINVALID},
		{"repair from the service fund", func(r *ExpenseRequest) { r.Category = "repair" }, EINVALID},
		{"maintenance fund without a vote", func(r *ExpenseRequest) { r.Fund, r.Category = FundMaintenance, "repair" }, EINVALID},
		{"maintenance fund with a vote", func(r *ExpenseRequest) { r.Fund, r.Category, r.Vote, r.Matter = FundMaintenance, "repair", "V0001", 1 }, ""},
		{"maintenance fund for cleaning", func(r *ExpenseRequest) { r.Fund, r.Vote, r.Matter = FundMaintenance, "V0001", 1 }, EINVALID},
		{"vote without matter", func(r *ExpenseRequest) { r.Vote = "V0001" }, EINVALID},
		{"empty attachment", func(r *ExpenseRequest) { r.Files = []AttachmentFile{{Name: "a.pdf"}} }, EINVALID},
		{"attachment too large", func(r *ExpenseRequest) {
			r.Files = []AttachmentFile{{Name: "a.pdf", Data: make([]byte, MaxAttachmentSize+1)}}
		}, EINVALID},
	}
	for _, tc := range tests {
		r := ok
		tc.edit(&r)
		if _, err := r.Validate(); ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want code %q", tc.name, err, tc.code)
		}
	}
}

func TestCanonicalExpense_IsStableText(t *testing.T) {
	e := applied("王经办", amt, FundService)
	e.Attachments = []Attachment{{Name: "发票.pdf", Size: 3, SHA256: "abc"}}
	e.Roster = "f00d"
	want := "sunledger-expense-v2\nid \"E000001\"\nfund \"service\"\ncategory \"cleaning\"\nbudget \"\"\npayee \"清洁公司\"\namount 1234.50\ndesc \"三月保洁\"\napplicant \"王经办\"\napplied 2026-03-02T09:00:00Z\nvote \"\"\nmatter 0\nbuilding \"\"\nroster \"f00d\"\nattach \"发票.pdf\" 3 abc\n"
	if got := string(CanonicalExpense(e)); got != want {
		t.Errorf("canonical form changed:\n%s\nwant\n%s", got, want)
	}
}

func TestPaymentEntry_DebitsCategoryCreditsFundBank(t *testing.T) {
	e := applied("x", amt, FundPublic)
	je, err := e.PaymentEntry("2026-03-05")
	if err != nil {
		t.Fatal(err)
	}
	if err := je.Validate(nil); err != nil {
		t.Fatal(err)
	}
	if je.Postings[0].Account != "支出:公共收益:清洁卫生" || je.Postings[1].Account != "资产:公共收益:银行存款" || je.Ref != "expense:E000001" {
		t.Errorf("entry = %+v", je)
	}
	e.Category = "remuneration"
	e.Fund = FundService
	je, _ = e.PaymentEntry("2026-03-05")
	if je.Postings[0].Account != PayableAccount(FundService) {
		t.Errorf("remuneration should settle the payable, got %s", je.Postings[0].Account)
	}
}

func TestParseExpenseID(t *testing.T) {
	for in, want := range map[string]string{"E000012": "E000012", "e12": "E000012", "12": "E000012"} {
		if got, err := ParseExpenseID(in); err != nil || got != want {
			t.Errorf("ParseExpenseID(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "E", "X12", "E-1", "E0", "E+1"} {
		if _, err := ParseExpenseID(in); err == nil {
			t.Errorf("ParseExpenseID(%q) accepted", in)
		}
	}
}

// BenchmarkMember_Unlock is what every signature costs in key derivation with the
// production parameters (argon2id, 64 MiB, one pass): it should stay well under a
// second on a committee laptop.
func BenchmarkMember_Unlock(b *testing.B) {
	kdf := KDF{Name: "argon2id", Time: 1, MemoryKiB: 64 * 1024, Threads: 4}
	m, err := NewMemberKDF("张主任", RoleChair, "correct horse", kdf, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Unlock("correct horse"); err != nil {
			b.Fatal(err)
		}
	}
}

// The invoice number is signed with the request when given, and a request without one
// keeps the canonical form it had before invoice numbers were kept.
func TestCanonicalExpense_InvoiceSignedOnlyWhenGiven(t *testing.T) {
	e := Expense{ID: "E000001", Fund: FundService, Category: "cleaning", Payee: "洁美", Amount: decimal.NewFromInt(100), Description: "保洁"}
	without := string(CanonicalExpense(e))
	if strings.Contains(without, "invoice") {
		t.Errorf("a request without an invoice number: %q", without)
	}
	e.Invoice = "04421337"
	with := string(CanonicalExpense(e))
	if !strings.Contains(with, "\ninvoice \"04421337\"") {
		t.Errorf("the invoice number is not signed: %q", with)
	}
	if _, err := (ExpenseRequest{Fund: FundService, Category: "cleaning", Payee: "洁美", Amount: decimal.NewFromInt(1), Description: "x", Invoice: strings.Repeat("9", 51)}).Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("a 51-character invoice number: %v", err)
	}
}
