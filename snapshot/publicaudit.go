package snapshot

import (
	"strings"

	"sunledger/app"
)

// PublicAudit is an audit record as a snapshot publishes it (audit.csv). The audit log
// on the laptop keeps everything; what leaves it names units, never owners, and never a
// unit's vote choices (docs/snapshot.md, publication rule). So the records that carry
// them lose those details here:
//   - vote.resolve: "V0001 ballot 55: unit P-0004, choices [agree oppose], invalid "",
//     proxy "…"" becomes "V0001 ballot 55"; the counter's note is dropped; vote.unenter
//     ("V0001 entry A: ballot 55 (unit …, choices …) taken back") becomes "V0001 entry A";
//   - survey.resolve: "Q0001 sheet 11: unit 1-1-403, answers […]" becomes "Q0001 sheet 11";
//   - vote.rule: "V0001 matter 2: owner:O00012 counted as agree" becomes "V0001 matter 2";
//   - service.new: the description (which may name the reporter) is dropped, and so
//     are the notes and reasons of service.step, service.note, service.reopen,
//     service.escalate and the handler's name of service.assign;
//   - vote.deliver: the delivery evidence (who signed for the ballots) is dropped;
//   - income.add: the payer (app.PayerNote), who may be an owner, is dropped.
//
// Refusals of those actions ("….refused") are treated the same way.
func PublicAudit(r app.AuditRecord) app.AuditRecord {
	switch strings.TrimSuffix(r.Action, ".refused") {
	case "vote.resolve", "vote.unenter", "survey.resolve", "vote.rule":
		r.What = beforeColon(r.What)
		r.Why = ""
	case "service.new", "service.step", "service.note", "service.reopen", "service.escalate", "service.assign", "vote.deliver":
		r.Why = ""
	case "income.add":
		if i := strings.LastIndex(r.What, app.PayerNote); i >= 0 {
			r.What = r.What[:i]
		}
	}
	return r
}

// beforeColon is s up to its first ": " (all of s without one).
func beforeColon(s string) string {
	if i := strings.Index(s, ": "); i >= 0 {
		return s[:i]
	}
	return s
}
