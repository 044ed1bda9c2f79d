package storage

import (
	"time"

	"sunledger/app"
)

// The book's services, one type each over the shared DB (its store, clock and
// transactions), as app.Services lists them. Each implements the app interface of the
// same name; its methods live in the file named for it.
type (
	BookService         struct{ db *DB } // app.BookService
	RegisterService     struct{ db *DB } // app.RegisterService
	LedgerService       struct{ db *DB } // app.LedgerService
	FeeService          struct{ db *DB } // app.FeeService
	PriceService        struct{ db *DB } // app.PriceService
	ChartService        struct{ db *DB } // app.ChartService
	IncomeService       struct{ db *DB } // app.IncomeService
	VoteService         struct{ db *DB } // app.VoteService
	MemberService       struct{ db *DB } // app.MemberService
	ExpenseService      struct{ db *DB } // app.ExpenseService
	BudgetService       struct{ db *DB } // app.BudgetService
	RemunerationService struct{ db *DB } // app.RemunerationService
	SettlementService   struct{ db *DB } // app.SettlementService
	MaintenanceService  struct{ db *DB } // app.MaintenanceService
	ServiceDesk         struct{ db *DB } // app.ServiceDesk
	CashService         struct{ db *DB } // app.CashService
	BankService         struct{ db *DB } // app.BankService
	PublicationService  struct{ db *DB } // app.PublicationService
	BackupService       struct{ db *DB } // app.BackupService
	SurveyService       struct{ db *DB } // app.SurveyService
	MeetingService      struct{ db *DB } // app.MeetingService
	MicroFundService    struct{ db *DB } // app.MicroFundService
	PrintService        struct{ db *DB } // app.PrintService
	LogService          struct{ db *DB } // app.LogService
)

func (db *DB) bookService() BookService { return BookService{db} }

func (db *DB) registerService() RegisterService { return RegisterService{db} }

func (db *DB) ledgerService() LedgerService { return LedgerService{db} }

func (db *DB) feeService() FeeService { return FeeService{db} }

func (db *DB) priceService() PriceService { return PriceService{db} }

func (db *DB) chartService() ChartService { return ChartService{db} }

func (db *DB) incomeService() IncomeService { return IncomeService{db} }

func (db *DB) voteService() VoteService { return VoteService{db} }

func (db *DB) memberService() MemberService { return MemberService{db} }

func (db *DB) expenseService() ExpenseService { return ExpenseService{db} }

func (db *DB) budgetService() BudgetService { return BudgetService{db} }

func (db *DB) remunerationService() RemunerationService { return RemunerationService{db} }

func (db *DB) settlementService() SettlementService { return SettlementService{db} }

func (db *DB) maintenanceService() MaintenanceService { return MaintenanceService{db} }

func (db *DB) serviceDesk() ServiceDesk { return ServiceDesk{db} }

func (db *DB) cashService() CashService { return CashService{db} }

func (db *DB) bankService() BankService { return BankService{db} }

func (db *DB) publicationService() PublicationService { return PublicationService{db} }

func (db *DB) backupService() BackupService { return BackupService{db} }

func (db *DB) surveyService() SurveyService { return SurveyService{db} }

func (db *DB) meetingService() MeetingService { return MeetingService{db} }

func (db *DB) logService() LogService { return LogService{db} }

func (db *DB) printService() PrintService { return PrintService{db} }

// Services returns the book's services for the CLI, the GUI and the demo.
func (db *DB) Services() app.Services {
	return app.Services{
		Book:         BookService{db},
		Register:     RegisterService{db},
		Ledger:       LedgerService{db},
		Chart:        ChartService{db},
		Fees:         FeeService{db},
		Prices:       PriceService{db},
		Income:       IncomeService{db},
		Votes:        VoteService{db},
		Members:      MemberService{db},
		Expenses:     ExpenseService{db},
		Budgets:      BudgetService{db},
		Remuneration: RemunerationService{db},
		Settlements:  SettlementService{db},
		Maintenance:  MaintenanceService{db},
		Service:      ServiceDesk{db},
		Cash:         CashService{db},
		Bank:         BankService{db},
		Published:    PublicationService{db},
		Log:          LogService{db},
		Backups:      BackupService{db},
		Surveys:      SurveyService{db},
		Meetings:     MeetingService{db},
		MicroFund:    MicroFundService{db},
		Prints:       PrintService{db},
		Now:          func() time.Time { return db.Now() }, // tests may set db.Now later
	}
}

func (db *DB) microFundService() MicroFundService { return MicroFundService{db} }
