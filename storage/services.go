package storage

import (
	"time"

	"sunledger/app"
)

// The book's services, one type each over the shared DB (its store, clock and
// transactions), as app.Services lists them. Each implements the app interface of the
// same name; its methods live in the file named for it.
type (
	BookService         struct{ *DB } // app.BookService
	RegisterService     struct{ *DB } // app.RegisterService
	LedgerService       struct{ *DB } // app.LedgerService
	FeeService          struct{ *DB } // app.FeeService
	PriceService        struct{ *DB } // app.PriceService
	ChartService        struct{ *DB } // app.ChartService
	IncomeService       struct{ *DB } // app.IncomeService
	VoteService         struct{ *DB } // app.VoteService
	MemberService       struct{ *DB } // app.MemberService
	ExpenseService      struct{ *DB } // app.ExpenseService
	BudgetService       struct{ *DB } // app.BudgetService
	RemunerationService struct{ *DB } // app.RemunerationService
	SettlementService   struct{ *DB } // app.SettlementService
	MaintenanceService  struct{ *DB } // app.MaintenanceService
	ServiceDesk         struct{ *DB } // app.ServiceDesk
	CashService         struct{ *DB } // app.CashService
	BankService         struct{ *DB } // app.BankService
	PublicationService  struct{ *DB } // app.PublicationService
	BackupService       struct{ *DB } // app.BackupService
	SurveyService       struct{ *DB } // app.SurveyService
	MeetingService      struct{ *DB } // app.MeetingService
	MicroFundService    struct{ *DB } // app.MicroFundService
	PrintService        struct{ *DB } // app.PrintService
	LogService          struct{ *DB } // app.LogService
)

// BookService is the book's app.BookService.
func (db *DB) BookService() BookService { return BookService{db} }

// RegisterService is the book's app.RegisterService.
func (db *DB) RegisterService() RegisterService { return RegisterService{db} }

// LedgerService is the book's app.LedgerService.
func (db *DB) LedgerService() LedgerService { return LedgerService{db} }

// FeeService is the book's app.FeeService.
func (db *DB) FeeService() FeeService { return FeeService{db} }

// PriceService is the book's app.PriceService.
func (db *DB) PriceService() PriceService { return PriceService{db} }

// ChartService is the book's app.ChartService.
func (db *DB) ChartService() ChartService { return ChartService{db} }

// IncomeService is the book's app.IncomeService.
func (db *DB) IncomeService() IncomeService { return IncomeService{db} }

// VoteService is the book's app.VoteService.
func (db *DB) VoteService() VoteService { return VoteService{db} }

// MemberService is the book's app.MemberService.
func (db *DB) MemberService() MemberService { return MemberService{db} }

// ExpenseService is the book's app.ExpenseService.
func (db *DB) ExpenseService() ExpenseService { return ExpenseService{db} }

// BudgetService is the book's app.BudgetService.
func (db *DB) BudgetService() BudgetService { return BudgetService{db} }

// RemunerationService is the book's app.RemunerationService.
func (db *DB) RemunerationService() RemunerationService { return RemunerationService{db} }

// SettlementService is the book's app.SettlementService.
func (db *DB) SettlementService() SettlementService { return SettlementService{db} }

// MaintenanceService is the book's app.MaintenanceService.
func (db *DB) MaintenanceService() MaintenanceService { return MaintenanceService{db} }

// ServiceDesk is the book's app.ServiceDesk.
func (db *DB) ServiceDesk() ServiceDesk { return ServiceDesk{db} }

// CashService is the book's app.CashService.
func (db *DB) CashService() CashService { return CashService{db} }

// BankService is the book's app.BankService.
func (db *DB) BankService() BankService { return BankService{db} }

// PublicationService is the book's app.PublicationService.
func (db *DB) PublicationService() PublicationService { return PublicationService{db} }

// BackupService is the book's app.BackupService.
func (db *DB) BackupService() BackupService { return BackupService{db} }

// SurveyService is the book's app.SurveyService.
func (db *DB) SurveyService() SurveyService { return SurveyService{db} }

// MeetingService is the book's app.MeetingService.
func (db *DB) MeetingService() MeetingService { return MeetingService{db} }

// LogService is the book's app.LogService.
func (db *DB) LogService() LogService { return LogService{db} }

// PrintService is the book's app.PrintService.
func (db *DB) PrintService() PrintService { return PrintService{db} }

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

// MicroFundService is the book's app.MicroFundService.
func (db *DB) MicroFundService() MicroFundService { return MicroFundService{db} }
