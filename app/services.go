package app

import "time"

// Services are everything the committee's programs (the CLI, the GUI, the demo) call.
// storage.DB provides all of them; each capability adds its service here.
type Services struct {
	Book         BookService
	Register     RegisterService
	Ledger       LedgerService
	Chart        ChartService
	Fees         FeeService
	Prices       PriceService
	Income       IncomeService
	Votes        VoteService
	Members      MemberService
	Expenses     ExpenseService
	Budgets      BudgetService
	Remuneration RemunerationService
	Settlements  SettlementService
	Maintenance  MaintenanceService
	Service      ServiceDesk
	Cash         CashService
	Bank         BankService
	Published    PublicationService
	Log          LogService
	Backups      BackupService
	Surveys      SurveyService
	Meetings     MeetingService
	MicroFund    MicroFundService
	// Now is the book's clock: what "today" is for every default date, due date and
	// age, so that both front ends, the demo and tests (which set it) agree on it.
	Now    func() time.Time
	Prints PrintService
}
