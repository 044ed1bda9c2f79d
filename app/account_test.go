package app

import "testing"

func TestParseExpenseCategory_CodesNamesAndAliases(t *testing.T) {
	for in, want := range map[string]string{
		"cleaning": "cleaning", "清洁卫生": "cleaning", "Cleaning": "cleaning",
		"landscaping": "greening", "绿化养护": "greening", "order": "security",
		"staff": "staff", "remuneration": "remuneration", "酬金": "remuneration", " repair ": "repair",
	} {
		c, err := ParseExpenseCategory(in)
		if err != nil || c.Code != want {
			t.Errorf("%q → %q, %v; want %q", in, c.Code, err, want)
		}
	}
	if _, err := ParseExpenseCategory("lunch"); ErrorCode(err) != EINVALID {
		t.Errorf("unknown category: %v", err)
	}
}

func TestExpenseAccount_MaintenanceFundPaysRepairWorksOnly(t *testing.T) {
	if a, err := ExpenseAccount(FundMaintenance, "repair"); err != nil || a != "支出:维修资金:维修工程" {
		t.Errorf("maintenance repair = %q, %v", a, err)
	}
	if _, err := ExpenseAccount(FundMaintenance, "cleaning"); ErrorCode(err) != EINVALID {
		t.Errorf("maintenance cleaning: %v", err)
	}
	if _, err := ExpenseAccount(FundService, "repair"); ErrorCode(err) != EINVALID {
		t.Errorf("service repair: %v", err)
	}
}
