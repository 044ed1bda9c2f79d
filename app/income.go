package app

import (
	"context"
	"strings"

	"github.com/shopspring/decimal"
)

// Income is money that comes into the public-income fund (公共收益: parking, advertising,
// rents of common parts) or the maintenance fund (deposits, interest) other than
// property fees. Civil Code art. 282: income from the common parts belongs to the
// owners together, so it is booked in their fund, never the property company's.
type Income struct {
	Fund        Fund            `json:"fund"`
	Kind        string          `json:"kind"` // an IncomeKinds code or name
	Amount      decimal.Decimal `json:"amount"`
	Date        string          `json:"date"`   // YYYY-MM-DD; "" = today
	Method      PaymentMethod   `json:"method"` // cash or bank (the default)
	Payer       string          `json:"payer,omitempty"`
	Description string          `json:"description,omitempty"`
	// Unit is the unit a maintenance-fund deposit is for (its sub-ledger, docs/maintenance.md);
	// "" for a lump deposit shared by area.
	Unit string `json:"unit,omitempty"`
}

// Validate checks an income as typed; it returns the income kind it books to.
func (i Income) Validate() (IncomeKind, error) {
	k, err := ParseIncomeKind(i.Fund, i.Kind)
	if err != nil {
		return k, err
	}
	if !i.Amount.IsPositive() {
		return k, Errorf(EINVALID, "收入金额必须大于 0", "an income amount must be more than 0")
	}
	if !i.Amount.Equal(i.Amount.Round(2)) {
		return k, Errorf(EINVALID, "金额 %s 最多两位小数", "amount %s has more than 2 decimals", i.Amount.String())
	}
	if i.Date != "" {
		if err := ValidDate(i.Date); err != nil {
			return k, err
		}
	}
	if _, err := ParseMethod(string(i.Method)); err != nil {
		return k, err
	}
	if err := CheckAmount("收入", "income", i.Amount); err != nil {
		return k, err
	}
	if err := CheckText("摘要", "description", i.Description, MaxTextRunes); err != nil {
		return k, err
	}
	if err := CheckText("付款人", "payer", i.Payer, MaxNameRunes); err != nil {
		return k, err
	}
	if i.Unit != "" && (k.Fund != FundMaintenance || k.Code != "deposit") {
		return k, Errorf(EINVALID, "只有维修资金的交存（--fund maintenance --kind deposit）可以写明房号", "only a maintenance-fund deposit (--fund maintenance --kind deposit) names a unit")
	}
	if err := CheckText("房号", "unit", i.Unit, 40); err != nil {
		return k, err
	}
	return k, nil
}

// PayerNote starts the part of an income's audit record that names its payer. The payer
// may be an owner (renting a parking space), and the journal is published in every
// snapshot, which names units, never owners: so the payer is kept only in the audit log
// on the laptop, and a snapshot's audit.csv leaves this part out (snapshot.PublicAudit).
const PayerNote = " 付款人："

// Entry is the journal entry of the income: into the fund's bank (or cash) account,
// credited to the kind's income account. It does not name the payer (PayerNote).
// Validate it first.
func (i Income) Entry() Entry {
	k, _ := ParseIncomeKind(i.Fund, i.Kind)
	method, _ := ParseMethod(string(i.Method))
	desc := k.Name
	if s := strings.TrimSpace(i.Description); s != "" {
		desc += " " + s
	}
	ref := DocIncome.Ref(k.Code)
	if i.Unit != "" {
		ref, desc = DocIncome.Ref(k.Code+"/"+i.Unit), desc+" "+i.Unit
	}
	return Entry{Date: i.Date, Description: desc, Ref: ref,
		Postings: []Posting{
			{Account: MethodAccount(i.Fund, method), Amount: i.Amount},
			{Account: k.Account(), Amount: i.Amount.Neg()},
		}}
}

// IncomeService records public and maintenance-fund income.
type IncomeService interface {
	// RecordIncome posts the income; EINVALID for bad input, ELOCKED for a locked date.
	RecordIncome(ctx context.Context, i Income, who, why string) (Entry, error)
}
