package storage

import "fmt"

// The key layout of a book, in one place. Keys are UTF-8 strings; values are JSON.
// Numbers inside keys are zero-padded so that Badger's byte order is numeric order.
//
//	meta/schema                  int: SchemaVersion of the layout
//	meta/community               app.Community
//	seq/<name>                   int64: last number handed out by a sequence (audit, receipt, ...)
//	audit/<seq:016d>             app.AuditRecord, append-only
//	unit/<unit id>               app.Unit
const (
	keySchema    = "meta/schema"
	keyCommunity = "meta/community"
	keySeq       = "seq/"
	prefixAudit  = "audit/"
	prefixUnit   = "unit/"
)

func auditKey(n int64) string { return fmt.Sprintf("%s%016d", prefixAudit, n) }

func unitKey(id string) string { return prefixUnit + id }
