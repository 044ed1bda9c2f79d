package app

import (
	"strings"
	"unicode"
)

// Fund is one of the three pots of the owners' money that trust-based management keeps
// apart (docs/domain.md "Fees, funds, ledger"): money of one fund never pays for another's
// business, so every account belongs to exactly one fund.
type Fund string

const (
	FundService     Fund = "service"     // 物业服务资金: property fees, pays the property service
	FundPublic      Fund = "public"      // 公共收益: parking, advertising, rents of common parts
	FundMaintenance Fund = "maintenance" // 维修资金: major repairs, only against a passed vote
)

// Funds are the three funds in the order notices list them.
var Funds = []Fund{FundService, FundPublic, FundMaintenance}

// FundName is the fund's name as it appears in account names ("物业服务资金"). Account
// names stay Chinese in both languages, so an exported journal reads the same for all.
func (f Fund) FundName() string {
	switch f {
	case FundService:
		return "物业服务资金"
	case FundPublic:
		return "公共收益"
	case FundMaintenance:
		return "维修资金"
	}
	return string(f)
}

// Label is the fund's name for screens in the user's language.
func (f Fund) Label() string {
	switch f {
	case FundService:
		return T("物业服务资金", "property-service fund")
	case FundPublic:
		return T("公共收益", "public income")
	case FundMaintenance:
		return T("维修资金", "maintenance fund")
	}
	return string(f)
}

// ParseFund reads a fund as typed on the command line: service/public/maintenance or
// the Chinese name.
func ParseFund(s string) (Fund, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	for _, f := range Funds {
		if s == string(f) || s == f.FundName() {
			return f, nil
		}
	}
	return "", Errorf(EINVALID, "未知的资金 %q：应为 service（物业服务资金）、public（公共收益）或 maintenance（维修资金）",
		"unknown fund %q: use service, public or maintenance", s)
}

// Account types are the top level of every account name, the five elements of
// double-entry books. Balances are debit-positive: assets and expenses are normally
// positive, liabilities, equity and income normally negative (as hledger shows them).
const (
	TypeAsset     = "资产"
	TypeLiability = "负债"
	TypeEquity    = "权益"
	TypeIncome    = "收入"
	TypeExpense   = "支出"
)

// AccountTypes in the order the chart lists them.
var AccountTypes = []string{TypeAsset, TypeLiability, TypeEquity, TypeIncome, TypeExpense}

// Account is one account of the chart (会计科目). Its name is an hledger-style path
// TYPE:FUND:NAME, e.g. "资产:物业服务资金:银行存款", so the exported journal is read by
// hledger and ledger-cli as is and the balances they print name the same accounts.
type Account struct {
	Name    string `json:"name"`
	Label   string `json:"label,omitempty"`   // a longer description for screens
	Builtin bool   `json:"builtin,omitempty"` // part of the standard chart; cannot be removed
}

// Type is the account's top level: 资产, 负债, 权益, 收入 or 支出.
func (a Account) Type() string { t, _, _ := strings.Cut(a.Name, ":"); return t }

// Fund is the fund named by the account's second level.
func (a Account) Fund() Fund {
	parts := strings.Split(a.Name, ":")
	if len(parts) < 2 {
		return ""
	}
	for _, f := range Funds {
		if parts[1] == f.FundName() {
			return f
		}
	}
	return ""
}

// Validate checks a new account the committee adds to the chart: TYPE:FUND:NAME[:SUB…]
// with a known type and fund, and no characters that would break an exported journal
// (two spaces or a tab end an account name in ledger files; ';' starts a comment).
func (a Account) Validate() error {
	parts := strings.Split(a.Name, ":")
	if len(parts) < 3 {
		return Errorf(EINVALID, "科目名称 %q 应为 类型:资金:名称，例如 支出:物业服务资金:清洁卫生",
			"account %q should be TYPE:FUND:NAME, e.g. 支出:物业服务资金:清洁卫生", a.Name)
	}
	known := false
	for _, t := range AccountTypes {
		known = known || parts[0] == t
	}
	if !known {
		return Errorf(EINVALID, "科目 %q 的类型应为 资产、负债、权益、收入 或 支出", "account %q must start with 资产, 负债, 权益, 收入 or 支出", a.Name)
	}
	if a.Fund() == "" {
		return Errorf(EINVALID, "科目 %q 的第二级应为资金名称：物业服务资金、公共收益 或 维修资金",
			"account %q: the second level must be a fund: 物业服务资金, 公共收益 or 维修资金", a.Name)
	}
	for _, p := range parts {
		if strings.TrimSpace(p) != p || p == "" {
			return Errorf(EINVALID, "科目 %q 的各级名称不能为空，也不能以空格开头或结尾", "account %q has an empty level or a level with leading/trailing spaces", a.Name)
		}
	}
	if len([]rune(a.Name)) > 80 {
		return Errorf(EINVALID, "科目名称 %q 太长（最多 80 字）", "account name %q is too long (80 characters at most)", a.Name)
	}
	for _, r := range a.Name {
		if r == ';' || r == '\t' || r == '"' || r == '(' || r == ')' || r == '[' || r == ']' || r == '@' || r == '=' || unicode.IsControl(r) || (unicode.IsSpace(r) && r != ' ') {
			return Errorf(EINVALID, "科目名称 %q 含有不允许的字符 %q", "account name %q contains the character %q, which is not allowed", a.Name, string(r))
		}
	}
	if strings.Contains(a.Name, "  ") {
		return Errorf(EINVALID, "科目名称 %q 不能含有连续两个空格", "account name %q must not contain two spaces in a row", a.Name)
	}
	return nil
}

// AccountName joins TYPE:FUND:NAME.
func AccountName(typ string, f Fund, name string) string {
	return typ + ":" + f.FundName() + ":" + name
}

// The accounts every fund has. Bank is the fund's own trust (共管) account; WeChat and
// Alipay collections settle into it.
func BankAccount(f Fund) string { return AccountName(TypeAsset, f, "银行存款") }
func CashAccount(f Fund) string { return AccountName(TypeAsset, f, "库存现金") }

// ReceivableAccount is what owners owe the fund (应收款); for the service fund it is the
// property fees billed and not yet paid, and always equals the arrears.
func ReceivableAccount(f Fund) string {
	if f == FundService {
		return AccountName(TypeAsset, FundService, "应收物业费")
	}
	return AccountName(TypeAsset, f, "应收款")
}

// PrepaidFeesAccount holds owners' prepayments (预收物业费): money received before the
// bills it will pay exist. It is a liability: the fund owes the payer those months.
var PrepaidFeesAccount = AccountName(TypeLiability, FundService, "预收物业费")

// FeeIncomeAccount is property-fee income, recognised when a month is billed.
var FeeIncomeAccount = AccountName(TypeIncome, FundService, "物业费")

// LateFeeIncomeAccount is late-fee income (滞纳金), only where the contract sets a rate.
var LateFeeIncomeAccount = AccountName(TypeIncome, FundService, "滞纳金")

// OpeningAccount is a fund's opening balance (期初结余) and RetainedAccount its surplus
// or deficit carried forward for the owners (累计结余) by the annual settlement.
func OpeningAccount(f Fund) string  { return AccountName(TypeEquity, f, "期初结余") }
func RetainedAccount(f Fund) string { return AccountName(TypeEquity, f, "累计结余") }

// ExpenseCategory is a cost item. The list follows 物业服务收费管理办法 (国家发改委、建设部
// 2003, 第十一条: the cost items of a property-service fee) plus the property company's
// remuneration (酬金) that trust-based contracts pay instead of a profit, and the
// maintenance fund's repair works.
type ExpenseCategory struct {
	Code  string // what --category takes
	Name  string // the account's last level
	Label string // the cost item as the regulation words it
}

// categoryEnglish names the cost items for screens and notices in English.
var categoryEnglish = map[string]string{
	"staff": "Staff", "upkeep": "Upkeep of common parts", "cleaning": "Cleaning", "greening": "Landscaping",
	"security": "Order and security", "office": "Office", "depreciation": "Depreciation", "insurance": "Insurance",
	"other": "Other approved items", "remuneration": "Remuneration", "repair": "Repairs",
}

// Title is the category's name in the user's language (人员费用 / Staff). Account names
// stay Chinese in both languages (see FundName); this is for what people read.
func (c ExpenseCategory) Title() string {
	if en, ok := categoryEnglish[c.Code]; ok {
		return T(c.Name, en)
	}
	return c.Name
}

// ExpenseCategories in the regulation's order.
var ExpenseCategories = []ExpenseCategory{
	{"staff", "人员费用", "管理服务人员的工资、社会保险和按规定提取的福利费等"},
	{"upkeep", "公共设施维护", "物业共用部位、共用设施设备的日常运行、维护费用"},
	{"cleaning", "清洁卫生", "物业管理区域清洁卫生费用"},
	{"greening", "绿化养护", "物业管理区域绿化养护费用"},
	{"security", "秩序维护", "物业管理区域秩序维护费用"},
	{"office", "办公费用", "办公费用"},
	{"depreciation", "固定资产折旧", "物业管理企业固定资产折旧"},
	{"insurance", "保险费用", "物业共用部位、共用设施设备及公众责任保险费用"},
	{"other", "其他费用", "经业主同意的其它费用"},
	{"remuneration", "酬金", "物业服务企业的酬金（信托制物业合同约定）"},
	{"repair", "维修工程", "共用部位、共用设施设备的维修、更新和改造（维修资金）"},
}

// categoryAliases are other words for the cost items, as docs/domain.md and committees say them.
var categoryAliases = map[string]string{
	"salaries": "staff", "wages": "staff", "personnel": "staff",
	"maintenance": "upkeep", "common-parts": "upkeep", "facilities": "upkeep",
	"landscaping": "greening", "garden": "greening", "gardening": "greening",
	"order": "security", "guard": "security", "guards": "security",
	"repairs": "repair", "major-repair": "repair", "fee": "remuneration",
}

// ParseExpenseCategory reads --category: a code ("cleaning"), an alias ("landscaping")
// or the Chinese name ("清洁卫生").
func ParseExpenseCategory(s string) (ExpenseCategory, error) {
	s = strings.TrimSpace(s)
	if code, ok := categoryAliases[strings.ToLower(s)]; ok {
		s = code
	}
	for _, c := range ExpenseCategories {
		if strings.EqualFold(s, c.Code) || s == c.Name {
			return c, nil
		}
	}
	codes := make([]string, len(ExpenseCategories))
	for i, c := range ExpenseCategories {
		codes[i] = c.Code
	}
	return ExpenseCategory{}, Errorf(EINVALID, "未知的支出类别 %q：可用 %s", "unknown expense category %q: use one of %s", s, strings.Join(codes, ", "))
}

// ExpenseAccount is the expense account of a category in a fund, e.g.
// "支出:物业服务资金:清洁卫生". Repair works are the maintenance fund's; the other cost
// items exist in the service and public-income funds.
func ExpenseAccount(f Fund, category string) (string, error) {
	c, err := ParseExpenseCategory(category)
	if err != nil {
		return "", err
	}
	if (f == FundMaintenance) != (c.Code == "repair") {
		if f == FundMaintenance {
			return "", Errorf(EINVALID, "维修资金只能用于维修工程（类别 repair）", "the maintenance fund pays repair works only (category repair)")
		}
		return "", Errorf(EINVALID, "维修工程应从维修资金支出", "repair works are paid from the maintenance fund")
	}
	return AccountName(TypeExpense, f, c.Name), nil
}

// IncomeKind is a kind of public or maintenance-fund income.
type IncomeKind struct {
	Code  string
	Fund  Fund
	Name  string // the account's last level
	Label string
}

// IncomeKinds: public income from common parts (Civil Code art. 282: income from common
// parts, after reasonable costs, belongs to the owners together) and the maintenance
// fund's deposits and interest.
var IncomeKinds = []IncomeKind{
	{"parking", FundPublic, "停车费", "共有部分停车收入"},
	{"advertising", FundPublic, "广告费", "电梯、外墙等共有部分广告收入"},
	{"rent", FundPublic, "场地租金", "共有部分场地出租收入"},
	{"other", FundPublic, "其他收入", "其他公共收益"},
	{"deposit", FundMaintenance, "缴存", "业主缴存的维修资金"},
	{"interest", FundMaintenance, "利息", "维修资金利息及增值收益"},
	{"interest", FundPublic, "利息", "公共收益存款利息"},
}

// ParseIncomeKind reads an income kind for a fund: a code or the Chinese name.
func ParseIncomeKind(f Fund, s string) (IncomeKind, error) {
	s = strings.TrimSpace(s)
	var codes []string
	for _, k := range IncomeKinds {
		if k.Fund != f {
			continue
		}
		if strings.EqualFold(s, k.Code) || s == k.Name {
			return k, nil
		}
		codes = append(codes, k.Code)
	}
	return IncomeKind{}, Errorf(EINVALID, "%s 没有收入类别 %q：可用 %s", "the %s has no income kind %q: use one of %s", f.Label(), s, strings.Join(codes, ", "))
}

// Account is the income account of the kind, e.g. "收入:公共收益:停车费".
func (k IncomeKind) Account() string { return AccountName(TypeIncome, k.Fund, k.Name) }

// StandardChart is the chart of accounts every book starts with. The committee can add
// accounts (a second bank account, a finer expense item) but not remove these.
func StandardChart() []Account {
	var out []Account
	add := func(name, label string) { out = append(out, Account{Name: name, Label: label, Builtin: true}) }
	for _, f := range Funds {
		add(BankAccount(f), f.FundName()+"共管银行账户")
		add(CashAccount(f), f.FundName()+"库存现金")
		add(ReceivableAccount(f), f.FundName()+"应收款项")
	}
	add(PrepaidFeesAccount, "业主预交的物业费")
	for _, f := range Funds {
		add(AccountName(TypeLiability, f, "应付款"), f.FundName()+"应付款项")
	}
	for _, f := range Funds {
		add(OpeningAccount(f), f.FundName()+"期初结余")
		add(RetainedAccount(f), f.FundName()+"累计结余（年度统结统算结转）")
	}
	add(MicroFundAccount, "业主微基金（公共收益结余按比例转入）")
	add(FeeIncomeAccount, "物业服务费收入")
	add(LateFeeIncomeAccount, "滞纳金收入（合同约定时）")
	for _, k := range IncomeKinds {
		add(k.Account(), k.Label)
	}
	for _, f := range []Fund{FundService, FundPublic} {
		for _, c := range ExpenseCategories {
			if c.Code != "repair" {
				add(AccountName(TypeExpense, f, c.Name), c.Label)
			}
		}
	}
	add(AccountName(TypeExpense, FundMaintenance, "维修工程"), "共用部位、共用设施设备的维修、更新和改造")
	return out
}

// SortAccounts orders a chart: by type (资产, 负债, 权益, 收入, 支出), then fund, then
// the order given (stable), so reports list accounts the way a balance sheet does.
func AccountLess(a, b string) bool {
	ta, tb := typeRank(a), typeRank(b)
	if ta != tb {
		return ta < tb
	}
	fa, fb := fundRank(Account{Name: a}.Fund()), fundRank(Account{Name: b}.Fund())
	if fa != fb {
		return fa < fb
	}
	return false
}

func typeRank(name string) int {
	t, _, _ := strings.Cut(name, ":")
	for i, x := range AccountTypes {
		if x == t {
			return i
		}
	}
	return len(AccountTypes)
}

func fundRank(f Fund) int {
	for i, x := range Funds {
		if x == f {
			return i
		}
	}
	return len(Funds)
}
