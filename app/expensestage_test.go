package app

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestPlanStages_PercentagesAddTo100AndAmountsToTheCent(t *testing.T) {
	amount := decimal.RequireFromString("1000.01")
	tests := []struct {
		plan string
		want []string // amounts; nil = refused
		why  string   // in the English refusal
	}{
		{"advance=30%,acceptance=65%,retention=5%:2027-11-01", []string{"300.00", "650.01", "50.00"}, ""},
		{"acceptance=95%,retention=5%:2027-11-01", []string{"950.01", "50.00"}, ""},
		{"advance=33.33%,acceptance=66.67%", []string{"333.30", "666.71"}, ""},
		{"acceptance=100%", []string{"1000.01"}, ""},
		{"advance=30%,acceptance=60%,retention=5%:2027-11-01", nil, "not 100"},
		{"advance=30%,retention=70%:2027-11-01", nil, "needs the acceptance"},
		{"acceptance=60%,advance=40%", nil, "order"},
		{"advance=30%,advance=10%,acceptance=60%", nil, "order"},
		{"deposit=30%,acceptance=70%", nil, "unknown payment stage"},
		{"advance=0%,acceptance=100%", nil, "more than 0"},
		{"advance=30.001%,acceptance=69.999%", nil, "2 decimals"},
		{"acceptance=95%,retention=5%", nil, "release date"},
		{"acceptance=95%:2027-01-01,retention=5%:2027-11-01", nil, "only the retention"},
		{"advance=thirty%,acceptance=70%", nil, "not a number"},
		{"advance:30,acceptance=70%", nil, "NAME=PERCENT"},
	}
	for _, tc := range tests {
		t.Run(tc.plan, func(t *testing.T) {
			st, err := ParseStages(tc.plan)
			if err == nil {
				st, err = PlanStages(amount, st)
			}
			if tc.want == nil {
				if err == nil || !strings.Contains(err.(*Error).EN, tc.why) {
					t.Fatalf("err = %v, want a refusal saying %q", err, tc.why)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var sum decimal.Decimal
			for i, s := range st {
				if s.Amount.StringFixed(2) != tc.want[i] {
					t.Errorf("stage %s = %s, want %s", s.Name, s.Amount.StringFixed(2), tc.want[i])
				}
				sum = sum.Add(s.Amount)
			}
			if !sum.Equal(amount) {
				t.Errorf("stages add up to %s, not %s", sum, amount)
			}
		})
	}
}

func TestExpenseStages_AdvanceThenAcceptanceThenRetentionAfterItsDate(t *testing.T) {
	clerk := person(t, "王经办", RoleClerk)
	chair := person(t, "张主任", RoleChair)
	treas := person(t, "李财务", RoleTreasurer)
	memb := person(t, "陈委员", RoleMember)
	rev := person(t, "赵复核", RoleReviewer)
	e := applied(clerk.m.Name, decimal.RequireFromString("10000.00"), FundMaintenance)
	plan, _ := ParseStages("advance=30%,acceptance=65%,retention=5%:2027-11-01")
	var err error
	if e.Stages, err = PlanStages(e.Amount, plan); err != nil {
		t.Fatal(err)
	}
	at := t0
	sign := func(e Expense, step SignStep, p testPerson, note string) (Expense, error) {
		at = at.Add(time.Hour)
		return e.Sign(step, p.m, p.key, at, note, none)
	}
	must := func(x Expense, err error) Expense {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	e = must(sign(e, StepApprove, chair, ""))
	e = must(sign(e, StepApprove, memb, ""))
	steps := []struct {
		name string
		step SignStep
		who  testPerson
		note string
		code Code // "" = done
		why  string
	}{
		{"acceptance refused before the advance is paid", StepAccept, chair, "2026-04-01", EINVALID, "not fully approved"},
		{"reviewed", StepReview, rev, "", "", ""},
		{"acceptance refused before the advance is paid (approved)", StepAccept, chair, "2026-04-01", EINVALID, "advance of expense request E000001 is not paid"},
		{"acceptance stage refused before the advance", StepPay, treas, "acceptance 2026-03-10", EINVALID, "advance of expense request E000001 is not paid"},
		{"pay without naming a stage", StepPay, treas, "2026-03-10", EINVALID, "name one with --stage"},
		{"advance paid", StepPay, treas, "advance 2026-03-10", "", ""},
		{"advance paid twice", StepPay, treas, "advance 2026-03-11", ECONFLICT, "was paid on 2026-03-10"},
		{"acceptance stage refused before 验收", StepPay, treas, "acceptance 2026-03-12", EINVALID, "not accepted yet"},
		{"the applicant cannot accept", StepAccept, clerk, "2026-06-01", EUNAUTHORIZED, "applied for"},
		{"acceptance dated before the advance", StepAccept, chair, "2026-03-09", EINVALID, "before the advance was paid"},
		{"rejection refused once a stage is paid", StepReject, chair, "changed our mind", ECONFLICT, "can no longer be rejected"},
		{"accepted", StepAccept, chair, "2026-06-01", "", ""},
		{"accepted twice", StepAccept, memb, "2026-06-02", ECONFLICT, "was accepted by 张主任 on 2026-06-01"},
		{"acceptance stage before the acceptance date", StepPay, treas, "acceptance 2026-05-30", EINVALID, "before the acceptance"},
		{"acceptance stage paid", StepPay, treas, "acceptance 2026-06-05", "", ""},
		{"retention refused before its date", StepPay, treas, "retention 2027-10-31", EINVALID, "held until 2027-11-01"},
		{"retention paid on its date", StepPay, treas, "retention 2027-11-01", "", ""},
	}
	for _, s := range steps {
		got, err := sign(e, s.step, s.who, s.note)
		if ErrorCode(err) != s.code {
			t.Fatalf("%s: code %q (%v), want %q", s.name, ErrorCode(err), err, s.code)
		}
		if err != nil {
			if !strings.Contains(err.(*Error).EN, s.why) {
				t.Errorf("%s: %q does not say %q", s.name, err.(*Error).EN, s.why)
			}
			if len(got.Signatures) != len(e.Signatures) || got.State != e.State {
				t.Errorf("%s: a refused step changed the request", s.name)
			}
			continue
		}
		e = got
		if err := VerifyExpense(e, map[string]Member{clerk.m.Name: clerk.m, chair.m.Name: chair.m, treas.m.Name: treas.m, memb.m.Name: memb.m, rev.m.Name: rev.m}); err != nil {
			t.Fatalf("%s: verify: %v", s.name, err)
		}
		if paidAll := s.name == "retention paid on its date"; (e.State == ExpensePaid) != paidAll {
			t.Fatalf("%s: state %s", s.name, e.State)
		}
	}
	if e.PaidDate != "2027-11-01" || !e.PaidSoFar().Equal(e.Amount) {
		t.Errorf("paid %s on %s", e.PaidSoFar(), e.PaidDate)
	}
	acc, _ := e.Acceptance()
	if acc.Signer != chair.m.Name || acc.Note != "2026-06-01" {
		t.Errorf("acceptance = %+v", acc)
	}
	// a stage marked paid without its signature is caught
	bad := e
	bad.Stages = append([]PaymentStage(nil), e.Stages...)
	bad.Signatures = bad.Signatures[:len(bad.Signatures)-1]
	bad.State = ExpenseReviewed
	if err := VerifyExpense(bad, map[string]Member{clerk.m.Name: clerk.m, chair.m.Name: chair.m, treas.m.Name: treas.m, memb.m.Name: memb.m, rev.m.Name: rev.m}); err == nil {
		t.Error("a retention marked paid without a signature verifies")
	}
}

// FuzzParseStages: any typed plan is refused or gives stages that add up to the amount.
func FuzzParseStages(f *testing.F) {
	for _, s := range []string{"advance=30%,acceptance=65%,retention=5%:2027-11-01", "acceptance=100%", "a=,=%:", "advance=1e9%,acceptance=-1e9%"} {
		f.Add(s)
	}
	amount := decimal.RequireFromString("386000.07")
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseStages(s)
		if err != nil {
			return
		}
		if st, err = PlanStages(amount, st); err != nil || len(st) == 0 {
			return
		}
		var sum decimal.Decimal
		for _, x := range st {
			if !x.Amount.IsPositive() {
				t.Fatalf("%q: stage %+v", s, x)
			}
			sum = sum.Add(x.Amount)
		}
		if !sum.Equal(amount) {
			t.Fatalf("%q: stages add up to %s", s, sum)
		}
	})
}

func TestExpensePayments_OneRowPerPaidStage(t *testing.T) {
	e := Expense{ID: "E000001", Amount: decimal.RequireFromString("100"), Description: "电梯", State: ExpenseReviewed, Stages: []PaymentStage{
		{Name: StageAdvance, Amount: decimal.RequireFromString("30"), PaidDate: "2026-03-01", Entry: 7},
		{Name: StageAcceptance, Amount: decimal.RequireFromString("70")}}}
	p := e.Payments()
	if len(p) != 1 || !p[0].Amount.Equal(decimal.RequireFromString("30")) || p[0].PaidDate != "2026-03-01" || p[0].Entry != 7 || !strings.HasSuffix(p[0].Description, "电梯") {
		t.Fatalf("payments %+v", p)
	}
	if e.Stages[0].Amount.String() != "30" || e.Amount.String() != "100" {
		t.Error("Payments changed the request")
	}
	whole := Expense{ID: "E000002", Amount: decimal.RequireFromString("5"), State: ExpensePaid, PaidDate: "2026-03-02"}
	if p := whole.Payments(); len(p) != 1 || p[0].ID != "E000002" {
		t.Fatalf("a whole payment: %+v", p)
	}
	if p := (Expense{State: ExpenseReviewed}).Payments(); p != nil {
		t.Fatalf("an unpaid request: %+v", p)
	}
}
