package storage

import (
	"sunledger/app"
	"time"
)

// Services returns the book's services for the CLI, the GUI and the demo.
func (db *DB) Services() app.Services {
	return app.Services{
		Book:         db,
		Register:     db,
		Ledger:       db,
		Fees:         db,
		Income:       db,
		Votes:        db,
		Members:      db,
		Expenses:     db,
		Budgets:      db,
		Remuneration: db,
		Settlements:  db,
		Maintenance:  db,
		Service:      db,
		Cash:         db,
		Published:    db,
		Surveys:      db,
		Backups:      db,
		Meetings:     db,
		Now:          func() time.Time { return db.Now() }, // tests may set db.Now later
		Prints:       db,
	}
}
