package storage

import (
	"fmt"

	"sunledger/app"
)

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

// The books (issue 3): the journal, its chart and the property-fee sub-ledger.
//
//	je/<seq:012d>                app.Entry, append-only, hash-chained
//	jrev/<seq:012d>              int64: the entry that reversed entry seq
//	meta/ledger-head             {seq, hash} of the newest entry
//	meta/ledger-lock             "YYYY-MM": periods locked through this month
//	bal/<account>                "1234.50": the account's balance, kept with every post
//	acct/<account>               app.Account the committee added to the standard chart
//	fee/price/<kind>/<YYYY-MM>   app.FeePrice
//	fee/run/<YYYY-MM>            app.BillingRun: the month is billed
//	fee/pending/<YYYY-MM>        app.PendingBilling: a month being billed in parts, invisible until its last part
//	fee/bill/<YYYY-MM>/<unit>    app.Bill (immutable; what is still due is in fee/acct)
//	fee/acct/<unit>              app.FeeAccount: open bills and prepayment credit
//	fee/pay/<receipt>            app.Payment
//	fee/unitpay/<unit>/<receipt> empty: index of a unit's receipts
//	meta/latefee                 app.LateFeeRule
const (
	prefixEntry      = "je/"
	prefixReversed   = "jrev/"
	keyLedgerHead    = "meta/ledger-head"
	keyLedgerLock    = "meta/ledger-lock"
	prefixBalance    = "bal/"
	prefixAccount    = "acct/"
	prefixPrice      = "fee/price/"
	prefixRun        = "fee/run/"
	prefixPending    = "fee/pending/"
	prefixBill       = "fee/bill/"
	prefixFeeAccount = "fee/acct/"
	prefixPayment    = "fee/pay/"
	prefixUnitPay    = "fee/unitpay/"
	keyLateFee       = "meta/latefee"
)

func entryKey(seq int64) string        { return fmt.Sprintf("%s%012d", prefixEntry, seq) }
func reversedKey(seq int64) string     { return fmt.Sprintf("%s%012d", prefixReversed, seq) }
func balanceKey(account string) string { return prefixBalance + account }
func accountKey(account string) string { return prefixAccount + account }
func priceKey(kind app.UnitKind, month string) string {
	return prefixPrice + string(kind) + "/" + month
}
func runKey(month string) string           { return prefixRun + month }
func pendingKey(month string) string       { return prefixPending + month }
func billPrefix(month string) string       { return prefixBill + month + "/" }
func billKey(month, unit string) string    { return billPrefix(month) + unit }
func feeAccountKey(unit string) string     { return prefixFeeAccount + unit }
func paymentKey(receipt string) string     { return prefixPayment + receipt }
func unitPaymentPrefix(unit string) string { return prefixUnitPay + unit + "/" }
func unitPaymentKey(unit, receipt string) string {
	return unitPaymentPrefix(unit) + receipt
}

// Votes (issue 5): assemblies, their frozen register, both transcriptions and the
// records that reconcile and complete them.
//
//	vote/meta/<id>                  app.Assembly
//	vote/reg/<id>                   []app.Unit: the register frozen when the assembly was created
//	vote/entry/<id>/<A|B>/<no>      app.Ballot: one transcription, one key per ballot number
//	vote/res/<id>/<ballot no>       app.Resolution: the third look at a paper ballot
//	vote/dlv/<id>/<unit>            app.Delivery: evidence the unit's ballot was delivered
//	vote/rule/<id>/<person>#<no>    app.HeadRuling: the committee's ruling on a split owner
//	vote/keyer/<id>/<A|B>           []string: the members who keyed the entry by name (app.WithKeyer);
//	                                 a name in one entry's list may not key the other (docs/votes.md)
const (
	prefixVoteMeta = "vote/meta/"
	prefixVoteReg  = "vote/reg/"
	prefixVoteEnt  = "vote/entry/"
	prefixVoteRes  = "vote/res/"
	prefixVoteDlv  = "vote/dlv/"
	prefixVoteRule = "vote/rule/"
	prefixVoteKey  = "vote/keyer/"
)

func voteMetaKey(id string) string         { return prefixVoteMeta + id }
func voteRegKey(id string) string          { return prefixVoteReg + id }
func voteEntryKey(id, entry string) string { return prefixVoteEnt + id + "/" + entry }
func voteResPrefix(id string) string       { return prefixVoteRes + id + "/" }
func voteDlvPrefix(id string) string       { return prefixVoteDlv + id + "/" }
func voteRulePrefix(id string) string      { return prefixVoteRule + id + "/" }
func voteResKey(id, ballot string) string  { return voteResPrefix(id) + ballot }
func voteKeyerKey(id, entry string) string { return prefixVoteKey + id + "/" + entry }
func voteDlvKey(id, unit string) string    { return voteDlvPrefix(id) + unit }
func voteRuleKey(id, person string, no int) string {
	return fmt.Sprintf("%s%s#%02d", voteRulePrefix(id), person, no)
}

// Expenses (issue 4): members of the approval chain, expense requests and their
// attachments, budgets, remuneration, settlements.
//
//	member/<name>                 app.Member (public key, sealed secret key)
//	exp/<id>                      app.Expense (id E000001…: key order = application order)
//	expatt/<sha256>/<chunk:04d>   raw bytes of an attachment, content-addressed, in chunks
//	meta/expense-rules            app.ExpenseRules
//	budget/<year>                 app.Budget
//	remu/contract                 app.RemunerationContract
//	remu/accr/<YYYY-MM>           app.RemunerationAccrual
//	remu/assess/<YYYYQn>          app.Assessment
//	remu/trueup/<YYYYQn>          app.RemunerationTrueUp: the quarter's factor applied
//	settle/<year>                 app.Settlement
const (
	prefixMember      = "member/"
	prefixExpense     = "exp/"
	prefixAttachment  = "expatt/"
	keyExpenseRules   = "meta/expense-rules"
	prefixBudget      = "budget/"
	keyRemuContract   = "remu/contract"
	prefixRemuAccrual = "remu/accr/"
	prefixAssessment  = "remu/assess/"
	prefixRemuTrueUp  = "remu/trueup/"
	prefixSettlement  = "settle/"
)

func memberKey(name string) string           { return prefixMember + name }
func expenseKey(id string) string            { return prefixExpense + id }
func attachmentPrefix(sha string) string     { return prefixAttachment + sha + "/" }
func attachmentKey(sha string, n int) string { return fmt.Sprintf("%s%04d", attachmentPrefix(sha), n) }
func budgetKey(year int) string              { return fmt.Sprintf("%s%04d", prefixBudget, year) }
func accrualKey(month string) string         { return prefixRemuAccrual + month }
func assessmentKey(quarter string) string    { return prefixAssessment + quarter }
func trueUpKey(quarter string) string        { return prefixRemuTrueUp + quarter }
func settlementKey(year int) string          { return fmt.Sprintf("%s%04d", prefixSettlement, year) }

// The roster (issue 14): its seal and the signed changes made after it.
//
//	meta/roster-seal              app.RosterSeal: the founding roster is sealed
//	roster/<id>                   app.RosterChange (id M000001…: key order = filing order)
const (
	keyRosterSeal = "meta/roster-seal"
	prefixRoster  = "roster/"
)

func rosterKey(id string) string { return prefixRoster + id }

// Service requests (issue 12): the response standard and the requests with their steps.
//
//	meta/service-standard        app.ServiceStandard of books before standard versions: read
//	                             as the version from the beginning until meta/service-standards
//	                             is written
//	meta/service-standards       app.ServiceStandards, the dated versions (none = 54321)
//	svc/<id>                     app.ServiceRequest (id S000001…: key order = order of entry);
//	                             its photos are blobs under expatt/<sha256>/ like attachments
//	svcm/<YYYY-MM>/<id>          app.ServiceFacts: the request's times, compact, by month of
//	                             registration (local time), written with every change of svc/<id>
const (
	keyServiceStandard  = "meta/service-standard"
	keyServiceStandards = "meta/service-standards"
	prefixService       = "svc/"
	prefixServiceMonth  = "svcm/"
)

func serviceKey(id string) string             { return prefixService + id }
func serviceMonthPrefix(month string) string  { return prefixServiceMonth + month + "/" }
func serviceMonthKey(month, id string) string { return serviceMonthPrefix(month) + id }

// Cash taken to the bank (issue 12): deposits by slip number and the cash limits.
//
//	cashdep/<slip>               app.CashDeposit (a slip is used once)
//	meta/cash-limits             map[app.Fund]decimal: the most cash a fund should hold
//	meta/cash-days               int: cash received should be banked within this many days
const (
	prefixCashDeposit = "cashdep/"
	keyCashLimits     = "meta/cash-limits"
	keyCashDays       = "meta/cash-days"
)

func cashDepositKey(slip string) string { return prefixCashDeposit + slip }

// Bank statements (issue 23, docs/bank.md): the lines imported per bank account, which
// entry is matched to which line, and the account number a statement named.
//
//	bank/line/<account>/<n:08d>    app.StatementLine (n = 1, 2, 3… in statement order)
//	bank/match/<account>/<seq:012d> int64: the line entry seq is matched to
//	bank/number/<account>          string: the bank account number its statements name
//	bank/count/<account>           int64: the lines imported whole; a line numbered above it
//	                               is part of an import that never finished and is ignored
const (
	prefixBankLine   = "bank/line/"
	prefixBankMatch  = "bank/match/"
	prefixBankNumber = "bank/number/"
	prefixBankCount  = "bank/count/"
)

func bankCountKey(account string) string { return prefixBankCount + account }

func bankLinePrefix(account string) string { return prefixBankLine + account + "/" }
func bankLineKey(account string, n int64) string {
	return fmt.Sprintf("%s%08d", bankLinePrefix(account), n)
}
func bankMatchPrefix(account string) string { return prefixBankMatch + account + "/" }
func bankMatchKey(account string, seq int64) string {
	return fmt.Sprintf("%s%012d", bankMatchPrefix(account), seq)
}
func bankNumberKey(account string) string { return prefixBankNumber + account }

// The record log (issue 14): every write transaction appends one block naming each
// record it changed with the SHA-256 of the new value, chained block to block, so that
// verify finds any record edited, added or deleted outside Sunledger (recordlog.go).
// It covers every key of the book except its own three.
//
//	rlog/<seq:012d>               text: app.CanonicalRecordBlock + "hash <hex>\n"
//	meta/rlog-head                {seq, hash, size, root}: the newest block, and the Merkle
//	                              tree's size (leaves) and root (hex) (tlog.go)
//	meta/rlog-baseline            string: the last key a baseline under way has covered
//	rlogtree/<index:012d>         32 bytes: the tree's stored hash number index
//	                              (golang.org/x/mod/sumdb/tlog's numbering), appended with
//	                              each block
//	rlogleaf/<seq:012d>           text: block seq's hash and the journal entries it puts,
//	                              "<hash hex> <first>+<count>,…" (leafindex.go), so that a
//	                              snapshot reads its leaves without reading the blocks
//
// These are the log's own keys, not logged themselves. The fact that a book has a log
// is kept outside them: a book with an id (meta/book-id, below) has one, and the
// checkpoints it published (ckpt/) name sizes and roots the log must still extend.
const (
	prefixRecordLog   = "rlog/"
	keyRecordHead     = "meta/rlog-head"
	keyRecordBaseline = "meta/rlog-baseline"
	prefixTree        = "rlogtree/"
	prefixLeafIndex   = "rlogleaf/"
	// skipLog is what verify's pass over the store leaves out: the blocks, which the
	// replay reads. (The tree's hashes are read, and counted with every other entry:
	// tablecount.go.)
	skipLog = prefixRecordLog
)

func recordBlockKey(seq int64) string { return fmt.Sprintf("%s%012d", prefixRecordLog, seq) }
func treeKey(index int64) string      { return fmt.Sprintf("%s%012d", prefixTree, index) }
func leafIndexKey(seq int64) string   { return fmt.Sprintf("%s%012d", prefixLeafIndex, seq) }

// The book's identity and its published checkpoints (docs/record-log.md), both logged.
//
//	meta/book-id                  string: 32 hex, random, fixed when the book is made;
//	                              checkpoints' origin is "sunledger/" + it
//	ckpt/<n:08d>                  app.PublishedCheckpoint, append-only, in the order published
const (
	keyBookID        = "meta/book-id"
	prefixCheckpoint = "ckpt/"
)

func checkpointKey(n int64) string { return fmt.Sprintf("%s%08d", prefixCheckpoint, n) }

// Published heads (issue 14): every head hash that left the laptop, append-only.
//
//	pubhead/<n:08d>               app.PublishedHead, in the order published
const prefixPublished = "pubhead/"

func publishedKey(n int64) string { return fmt.Sprintf("%s%08d", prefixPublished, n) }

// Owner surveys (issue 12, docs/survey.md): answer sheets are keyed twice like ballots.
//
//	survey/meta/<id>                app.Survey (with the units surveyed, frozen)
//	survey/entry/<id>/<A|B>/<no>    app.SurveySheet: one transcription, one key per sheet
//	survey/res/<id>/<sheet no>      app.SurveyResolution: the third look at a paper sheet
//	meta/assess-weights             app.AssessmentWeights: the computed score's weights
const (
	prefixSurveyMeta = "survey/meta/"
	prefixSurveyEnt  = "survey/entry/"
	prefixSurveyRes  = "survey/res/"
	keyAssessWeights = "meta/assess-weights"
)

func surveyMetaKey(id string) string            { return prefixSurveyMeta + id }
func surveyEntryPrefix(id, entry string) string { return prefixSurveyEnt + id + "/" + entry + "/" }
func surveyResKey(id, no string) string         { return prefixSurveyRes + id + "/" + no }

// Joint meetings (issue 12): meetings with their decisions and follow-ups, and the
// three parties' duty list, one record per version (docs/meetings.md).
//
//	meet/<id>                    app.Meeting (id MT000001…) with its issues, decisions and
//	                             their follow-ups, rewritten whole by each change
//	duty/<version:04d>           app.DutyList, one per version, never rewritten
const (
	prefixMeeting = "meet/"
	prefixDuty    = "duty/"
)

func meetingKey(id string) string { return prefixMeeting + id }
func dutyKey(version int) string  { return fmt.Sprintf("%s%04d", prefixDuty, version) }

// Print log (docs/notices.md): every print of a receipt, append-only, so reprints say 补打.
//
//	print/receipt/<receipt>/<n:08d>   app.PrintRecord, the n-th print of that receipt
//	seq/print/receipt/<receipt>       the print counter of that receipt
//	print/ref/<kind>/<yyyy>/<hash>    app.DocRef, a public notice's number (文号); hash: of
//	                                  what the notice is (kind and arguments), 24 hex digits
//	seq/print/ref/<kind>/<yyyy>       the numbers given to kind's notices in that year
const prefixPrint = "print/"

// Micro-fund projects (docs/microfund.md, "Projects"): proposal → two approvals → 公示 →
// spending → report, one record per project rewritten by each step.
//
//	mfp/<id>                     app.MicroFundProject (id MF0001…)
//	mfx/<expense id>             the project an expense was charged to (an expense is
//	                             charged once)
const (
	prefixMicroFundProject = "mfp/"
	keyMicroFundBase       = "meta/microfund-base" // "" the surplus, "income" the public income
	prefixMicroFundExpense = "mfx/"
)

func microFundProjectKey(id string) string { return prefixMicroFundProject + id }
func microFundExpenseKey(id string) string { return prefixMicroFundExpense + id }

// The maintenance fund's per-unit sub-ledger (issue 22, docs/maintenance.md): computed
// from the journal; only its opening lines are stored.
//
//	meta/mfund-opening            app.FundOpening: the opening balances and their entry
const keyFundOpening = "meta/mfund-opening"
