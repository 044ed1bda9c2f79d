package app

import (
	"context"
	"strings"
	"time"
)

// Community is the 小区 whose books this is, with the settings from its 议事规则.
type Community struct {
	Name string `json:"name"`
	// ExcludeParking: the community's rules (议事规则) leave parking spaces out of the
	// area and headcount of votes. By default they count like every exclusive part
	// (SPC interpretation art. 8: the area in the property register).
	ExcludeParking bool      `json:"exclude_parking"`
	CreatedAt      time.Time `json:"created_at"`
}

// Validate checks the community's settings.
func (c Community) Validate() error {
	if strings.TrimSpace(c.Name) == "" {
		return Errorf(EINVALID, "小区名称不能为空", "the community needs a name")
	}
	if len([]rune(c.Name)) > 100 {
		return Errorf(EINVALID, "小区名称太长（最多 100 字）", "the community name is too long (100 characters at most)")
	}
	return nil
}

// AuditRecord is one line of the audit log (操作日志): who changed what, when and why.
// The log is append-only; it records refused attempts that matter (a wrong passphrase,
// a signature out of turn) as well as changes.
type AuditRecord struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	Action string    `json:"action"`
	What   string    `json:"what"`
	Why    string    `json:"why,omitempty"`
}

// BookService opens and describes the community book as a whole.
type BookService interface {
	// Init creates an empty book; ECONFLICT if the folder already holds one.
	Init(ctx context.Context, c Community, who string) error
	// Community returns the book's community; ENOTFOUND if the folder holds no book.
	Community(ctx context.Context) (Community, error)
	// Audit returns the audit log, oldest first.
	Audit(ctx context.Context) ([]AuditRecord, error)
}
