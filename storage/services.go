package storage

import "sunledger/app"

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
		Backups:      db,
		Prints:       db,
	}
}
