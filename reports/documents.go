package reports

// documents.go is the one registry of the documents a committee prints: for each kind,
// what it reads from the book's services and how it is laid out. `sunledger-cli report
// KIND`, the window's 公示打印 page and every screen's print button all make a document
// here (Make), so the same book and the same arguments give the same PDF, byte for
// byte, whichever front end prints it (docs/notices.md "Who prints what").

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// Args say which document of a kind to make: the flags of `report KIND`, the window's
// choices. A kind reads only the fields it names.
type Args struct {
	Receipt string // receipt: the receipt number
	Who     string // receipt: who prints it (the print log; printed on the receipt)
	Year    int    // quarterly, budget, settlement, fund; meetings: a year's meetings
	Quarter int    // quarterly: 1–4
	Period  string // fee-notices: YYYY-MM; service: YYYYQn, YYYY-MM or YYYY; assessment: YYYYQn
	// fee-notices: a new due date when the settings' one has passed, and only the units
	// that owe (FeeNoticeOptions).
	Due       string
	OwingOnly bool
	Vote      string // tally, ballots: the assembly
	// tally: the day the announcement was posted when earlier than today (YYYY-MM-DD;
	// "" = today). The print log records it: the 公示期 runs from the first print.
	Date    string
	Unit    string // fund-unit: the unit; ballots: only this unit's ballot (a reprint)
	Survey  string // survey
	Request string // service-slip: the service request
	Meeting string // meetings: one meeting (else Year)
	Version int    // duties: the duty list's version, 0 for the newest
	// arrears: only units whose oldest open bill is at least MinMonths old, of building
	// Building (app.BuildingOf), among Units when given (the window's search).
	MinMonths int
	// arrears: only units owing at least MinAmount (yuan, "" = any amount), so that a
	// few fen left over are not posted.
	MinAmount string
	Building  string
	Units     []string
	// bank-reconcile: the bank account (an account name, or a fund's name for its bank
	// account, app.ParseBankAccount), with Period the month YYYY-MM or quarter YYYYQn.
	Account string
}

// Kind is one kind of document.
type Kind struct {
	Name  string // what `report` takes: "arrears"
	Title string // its name on the notice board: 欠费公示
	make  func(ctx context.Context, b book, a Args) (*Doc, error)
}

// book is what every document prints besides its own content: the services it reads,
// the community's name, the journal's head hash and the day it is made.
type book struct {
	s          app.Services
	c          app.Community
	head, date string // date: YYYY-MM-DD of now
	now        time.Time
}

// kinds are every kind of document, in the order `report` lists them.
var kinds = []Kind{
	{"receipt", "物业服务费收据", makeReceipt},
	{"arrears", "物业服务费欠费公示", makeArrears},
	{"fee-notices", "物业服务费缴费通知单", makeFeeNotices},
	{"quarterly", "季度收支公示", makeQuarterly},
	{"ballots", "业主大会表决票", makeBallots},
	{"tally", "业主大会表决结果公告", makeTally},
	{"budget", "年度预算及执行情况公示", makeBudget},
	{"settlement", "年度统结统算公示", makeSettlement},
	{"fund", "专项维修资金收支情况公示", makeFund},
	{"fund-unit", "专项维修资金分户账", makeFundUnit},
	{"fund-topup", "专项维修资金续交通知", makeFundTopUp},
	{"service", "物业服务质量公示", makeService},
	{"service-slip", "服务请求回执单", makeServiceSlip},
	{"survey", "满意度调查结果公示", makeSurvey},
	{"meetings", "联席会议决议公示", makeMeetings},
	{"minutes", "联席会议纪要", makeMinutes},
	{"duties", "三方权责清单", makeDuties},
	{"bank-reconcile", "银行存款余额调节表", makeBankReconcile},
	{"assessment", "物业服务考核及酬金公示", makeAssessment},
	{"microfund", "业主微基金收支及项目公示", makeMicroFund},
}

// Kinds lists every kind of document.
func Kinds() []Kind { return slices.Clone(kinds) }

// KindNames are the kinds' names, as `report` takes them.
func KindNames() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.Name
	}
	return out
}

// Make makes the document of kind named by a from the book, dated by the book's clock.
// It is the only place a document is assembled: the command line and the window both
// call it, then save the result with SaveDocument. EINVALID for an unknown kind or a
// missing or bad argument; the services' errors as they come.
func Make(ctx context.Context, s app.Services, kind string, a Args) (*Doc, error) {
	i := slices.IndexFunc(kinds, func(k Kind) bool { return k.Name == kind })
	if i < 0 {
		return nil, app.Errorf(app.EINVALID, "未知的文件类型 %q（可用：%s）", "unknown document kind %q (available: %s)", kind, strings.Join(KindNames(), ", "))
	}
	c, err := s.Book.Community(ctx)
	if err != nil {
		return nil, err
	}
	head, _, err := s.Ledger.Head(ctx)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	d, err := kinds[i].make(ctx, book{s: s, c: c, head: head, date: now.Format(dateLayout), now: now}, a)
	if err != nil || d == nil {
		return d, err
	}
	// What the document is, for its number (文号): the same kind and arguments printed
	// again keep the number they got the first time (SaveDocument).
	id := a
	id.Who, id.Date = "", ""
	what, _ := json.Marshal(id)
	d.kind, d.what = kind, kind+" "+string(what)
	return d, nil
}

// needArg refuses a document whose argument is missing.
func needArg(ok bool, flag string) error {
	if ok {
		return nil
	}
	return app.Errorf(app.EINVALID, "缺少 --%s", "--%s is required", flag)
}

func makeReceipt(ctx context.Context, b book, a Args) (*Doc, error) {
	no := strings.TrimSpace(a.Receipt)
	if err := needArg(no != "", "receipt"); err != nil {
		return nil, err
	}
	r, err := PrintReceipt(ctx, b.s, no, a.Who)
	if err != nil {
		return nil, err
	}
	return ReceiptDoc(r), nil
}

func makeArrears(ctx context.Context, b book, a Args) (*Doc, error) {
	rows, err := b.s.Fees.Arrears(ctx)
	if err != nil {
		return nil, err
	}
	rule, err := b.s.Prices.LateFeeRule(ctx)
	if err != nil {
		return nil, err
	}
	month := b.date[:7]
	minAmount := decimal.Zero
	if m := strings.TrimSpace(a.MinAmount); m != "" {
		if minAmount, err = app.ParseAmount(m); err != nil {
			return nil, err
		}
	}
	var kept []app.Arrears
	for _, r := range rows {
		if a.MinMonths > 0 && !r.OwingFor(a.MinMonths, month) {
			continue
		}
		if r.Owed.LessThan(minAmount) {
			continue
		}
		if a.Building != "" && app.BuildingOf(r.Unit) != a.Building {
			continue
		}
		if a.Units != nil && !slices.Contains(a.Units, r.Unit) {
			continue
		}
		kept = append(kept, r)
	}
	app.SortArrears(kept)
	return ArrearsDoc(b.c.Name, b.head, b.date, kept, rule, ArrearsFilter{MinMonths: a.MinMonths, MinAmount: minAmount, Building: a.Building}), nil
}

func makeFeeNotices(ctx context.Context, b book, a Args) (*Doc, error) {
	month, err := app.ParseMonth(a.Period)
	if err != nil {
		return nil, err
	}
	return FeeNoticesFor(ctx, b.s, month, b.date, b.head, FeeNoticeOptions{Due: a.Due, OwingOnly: a.OwingOnly})
}

func makeQuarterly(ctx context.Context, b book, a Args) (*Doc, error) {
	q, err := GatherQuarter(ctx, b.s, a.Year, a.Quarter, b.date, 0)
	if err != nil {
		return nil, err
	}
	return QuarterlyDoc(q), nil
}

func makeTally(ctx context.Context, b book, a Args) (*Doc, error) {
	if err := needArg(a.Vote != "", "vote"); err != nil {
		return nil, err
	}
	// The print is recorded first (the 公示期 runs from the first one), then the document
	// is made: docs/maintenance.md "Money follows the vote". A notice the settings refuse
	// (no office phone) is refused before anything is recorded.
	if err := b.c.Notices.ReadyToPublish(false); err != nil {
		return nil, err
	}
	if a.Date != "" {
		if err := app.ValidDate(a.Date); err != nil {
			return nil, err
		}
		if a.Date > b.date {
			return nil, app.Errorf(app.EINVALID, "日期 %s 在今天之后；没有打印", "the date %s is in the future; nothing was printed", a.Date)
		}
		t, err := time.ParseInLocation(dateLayout, a.Date, time.Local)
		if err != nil {
			return nil, err
		}
		ctx = app.AsOf(ctx, t.Add(12*time.Hour))
	}
	t, err := PrintTally(ctx, b.s, a.Vote, a.Who)
	if err != nil {
		return nil, err
	}
	return AnnouncementDoc(b.c.Name, t, b.head), nil
}

// makeFundUnit is one unit's page of the maintenance fund's sub-ledger.
func makeFundUnit(ctx context.Context, b book, a Args) (*Doc, error) {
	unit := app.NormalizeUnitID(a.Unit)
	if err := needArg(unit != "", "unit"); err != nil {
		return nil, err
	}
	us, err := b.s.Maintenance.FundLedger(ctx, unit)
	if err != nil {
		return nil, err
	}
	return FundUnitDoc(b.c.Name, b.head, b.date, us[0]), nil
}

// makeFundTopUp is the 续交 notice of the units below 30 % of their first deposit.
func makeFundTopUp(ctx context.Context, b book, a Args) (*Doc, error) {
	us, err := b.s.Maintenance.FundLedger(ctx, "")
	if err != nil {
		return nil, err
	}
	return FundTopUpDoc(b.c.Name, b.head, b.date, us), nil
}

// yearBegun refuses a year-end document (budget, settlement, maintenance fund) for a
// year that has not begun: it would post an all-zero notice for a mistyped year.
func (b book) yearBegun(y int) error {
	if err := needArg(y > 0, "year"); err != nil {
		return err
	}
	if y > b.now.Year() {
		return app.Errorf(app.EINVALID, "%d 年还没有开始（今天是 %s）：没有生成公示。请检查 --year", "%d has not begun yet (today is %s): no notice was made; check --year", y, b.date)
	}
	return nil
}

func makeBudget(ctx context.Context, b book, a Args) (*Doc, error) {
	if err := needArg(a.Year > 0, "year"); err != nil {
		return nil, err
	}
	r, err := b.s.Budgets.BudgetVsActual(ctx, a.Year)
	if err != nil {
		return nil, err
	}
	var excess []BudgetExcess
	if b.s.Expenses != nil {
		es, err := b.s.Expenses.Expenses(ctx)
		if err != nil {
			return nil, err
		}
		excess = BudgetExcesses(r, es)
	}
	return BudgetDoc(b.c.Name, b.head, b.date, r, excess...), nil
}

// makeSettlement prints the settled year, or a preview while it is not settled.
func makeSettlement(ctx context.Context, b book, a Args) (*Doc, error) {
	if err := b.yearBegun(a.Year); err != nil {
		return nil, err
	}
	st, preview, err := app.SettlementOrPreview(ctx, b.s.Settlements, a.Year)
	if err != nil {
		return nil, err
	}
	if b.s.Remuneration != nil {
		rs, err := b.s.Remuneration.RemunerationStatus(ctx)
		if err != nil {
			return nil, err
		}
		st.Remuneration = &rs
	}
	return SettlementDoc(b.c.Name, b.head, b.date, st, preview), nil
}

func makeFund(ctx context.Context, b book, a Args) (*Doc, error) {
	if err := b.yearBegun(a.Year); err != nil {
		return nil, err
	}
	st, err := b.s.Maintenance.MaintenanceStatement(ctx, a.Year)
	if err != nil {
		return nil, err
	}
	return FundDoc(b.c.Name, b.head, b.date, st), nil
}

func makeService(ctx context.Context, b book, a Args) (*Doc, error) {
	period := strings.TrimSpace(a.Period)
	if _, _, err := app.ParseCollectionPeriod(period); err != nil {
		return nil, err
	}
	st, err := b.s.Service.ServiceStats(ctx, period)
	if err != nil {
		return nil, err
	}
	var overdue []app.ServiceRequest
	for _, id := range st.Overdue {
		r, err := b.s.Service.ServiceRequest(ctx, id)
		if err != nil {
			return nil, err
		}
		overdue = append(overdue, r)
	}
	// A quarter's report publishes the quarter's assessment once it is recorded.
	var assessed []app.Assessment
	if q := app.QuarterOf(st.From); b.s.Remuneration != nil && q != "" && st.To == app.AddMonths(st.From, 2) && app.QuarterOf(st.To) == q {
		as, err := b.s.Remuneration.Assessments(ctx)
		if err != nil {
			return nil, err
		}
		for _, x := range as {
			if x.Quarter == q {
				assessed = append(assessed, x)
			}
		}
	}
	reqs, err := b.s.Service.ServiceRequests(ctx)
	if err != nil {
		return nil, err
	}
	return ServiceReportDoc(b.c.Name, b.head, b.date, st, overdue, ServiceCountsOf(st, reqs), assessed...), nil
}

// makeServiceSlip is the slip the owner keeps for one request (回执单), judged by the
// standard in force when it was reported.
func makeServiceSlip(ctx context.Context, b book, a Args) (*Doc, error) {
	if err := needArg(strings.TrimSpace(a.Request) != "", "id"); err != nil {
		return nil, err
	}
	r, err := b.s.Service.ServiceRequest(ctx, strings.ToUpper(strings.TrimSpace(a.Request)))
	if err != nil {
		return nil, err
	}
	vs, err := b.s.Service.ServiceStandards(ctx)
	if err != nil {
		return nil, err
	}
	return ServiceSlipDoc(b.c.Name, b.head, b.date, r, vs.For(r)), nil
}

func makeSurvey(ctx context.Context, b book, a Args) (*Doc, error) {
	if err := needArg(a.Survey != "", "survey"); err != nil {
		return nil, err
	}
	rec, err := b.s.Surveys.SurveyRecord(ctx, a.Survey)
	if err != nil {
		return nil, err
	}
	var link SurveyLink
	if b.s.Remuneration != nil {
		q := Quarter{}
		if y, n, ok := parseQuarterName(rec.Survey.Quarter); ok {
			q.Year, q.Quarter = y, n
			if err := gatherAssessment(ctx, b.s, &q); err != nil {
				return nil, err
			}
		}
		link = SurveyLink{Assessment: q.Assessment, Factor: q.Factor, HasFactor: q.HasFactor}
	}
	return SurveyResultDoc(b.c.Name, b.head, b.date, rec.Survey, app.ScoreSurvey(rec), link), nil
}

// makeMeetings prints the decisions of one meeting (Meeting) or of a year's (Year).
func makeMeetings(ctx context.Context, b book, a Args) (*Doc, error) {
	if (a.Meeting == "") == (a.Year == 0) {
		return nil, app.Errorf(app.EINVALID, "请给出 --meeting 编号 或 --year 年份（二选一）", "give either --meeting ID or --year Y")
	}
	now := b.now
	if a.Meeting != "" {
		m, err := b.s.Meetings.Meeting(ctx, a.Meeting)
		if err != nil {
			return nil, err
		}
		return MeetingNoticeDoc(b.c.Name, b.head, b.date, "联席会议决议公示", []app.Meeting{m}, now), nil
	}
	all, err := b.s.Meetings.Meetings(ctx)
	if err != nil {
		return nil, err
	}
	return MeetingNoticeDoc(b.c.Name, b.head, b.date, strconv.Itoa(a.Year)+" 年联席会议决议公示", app.MeetingsOfYear(all, a.Year), now), nil
}

func makeDuties(ctx context.Context, b book, a Args) (*Doc, error) {
	l, err := b.s.Meetings.DutyList(ctx, a.Version)
	if err != nil {
		return nil, err
	}
	return DutyListDoc(b.c.Name, b.head, b.date, l), nil
}

// makeMinutes is one joint meeting's minutes with its sign-in sheet.
func makeMinutes(ctx context.Context, b book, a Args) (*Doc, error) {
	if err := needArg(strings.TrimSpace(a.Meeting) != "", "meeting"); err != nil {
		return nil, err
	}
	m, err := b.s.Meetings.Meeting(ctx, strings.ToUpper(strings.TrimSpace(a.Meeting)))
	if err != nil {
		return nil, err
	}
	return MeetingMinutesDoc(b.c.Name, b.head, b.date, m), nil
}

// parseQuarterName reads YYYYQn.
func parseQuarterName(s string) (year, n int, ok bool) {
	q, err := app.ReadQuarter(s)
	if err != nil {
		return 0, 0, false
	}
	return q.Year, q.N, true
}
