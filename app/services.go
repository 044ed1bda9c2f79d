package app

// Services are everything the committee's programs (the CLI, the GUI, the demo) call.
// storage.DB provides all of them; each capability adds its service here.
type Services struct {
	Book         BookService
	Register     RegisterService
	Ledger       LedgerService
	Fees         FeeService
	Income       IncomeService
	Votes        VoteService
	Members      MemberService
	Expenses     ExpenseService
	Budgets      BudgetService
	Remuneration RemunerationService
	Settlements  SettlementService
	Maintenance  MaintenanceService
	Service      ServiceService
	Cash         CashService
	Published    PublicationService
	Backups      BackupService
	Prints       PrintService
}
