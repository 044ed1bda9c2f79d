package reports

import (
	"strings"
	"testing"

	"sunledger/app"
)

func TestBankReconciliationDoc_ShowsBothSidesAndNoCounterparty(t *testing.T) {
	r := app.Reconciliation{Account: "资产:公共收益:银行存款", Period: "2026-03", BookBalance: xdec("8800"), BankBalance: xdec("7993.5"),
		BookNotBank: app.InOut{In: xdec("800"), Out: xdec("0")}, BankNotBook: app.InOut{In: xdec("3.5"), Out: xdec("10")},
		AdjustedBook: xdec("8793.5"), AdjustedBank: xdec("8793.5"),
		BookOnly: []app.BookItem{{Seq: 5, Date: "2026-03-31", Amount: xdec("800"), Description: "现金存入银行 缴款单 S-77"}},
		BankOnly: []app.StatementLine{{N: 3, Date: "2026-03-21", Amount: xdec("3.5"), Description: "结息", Counterparty: "张三"}}}
	text := docText(t, BankReconciliationDoc("阳光花园小区", "head1", r))
	expenseWant(t, text, "银行存款余额调节表（2026-03）", "账面余额", "¥8,800.00", "¥7,993.50", "调节后余额", "¥8,793.50", "差额：0.00", "#5", "缴款单S-77", "2026-03-21", "¥3.50")
	if strings.Contains(text, "张三") {
		t.Error("the PDF names a counterparty")
	}
	r.Difference = xdec("-500")
	expenseWant(t, docText(t, BankReconciliationDoc("阳光花园小区", "head1", r)), "未解释的差额：-¥500.00")
}
