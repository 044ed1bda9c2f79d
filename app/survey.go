package app

import (
	"context"
	rat "math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Owner satisfaction surveys (满意度调查) on paper, docs/survey.md. A survey has
// weighted questions and one answer scale (labels mapped to points); each answer sheet
// is keyed twice and reconciled with the same two-person keying as ballots (Transcription).
// A question's score is the mean of its answers' points placed on the scale from its
// lowest answer (0) to its top (100); the total is the weight-weighted mean of the questions' scores. Both are computed
// exactly (rationals) and rounded half-up to 0.01 once.

// DefaultSurveyScale is the scale a survey gets when none is given.
const DefaultSurveyScale = "非常满意=5,满意=4,一般=3,不满意=2,非常不满意=1"

// ScalePoint is one answer of the scale and its points.
type ScalePoint struct {
	Label  string          `json:"label"`
	Points decimal.Decimal `json:"points"`
}

// SurveyQuestion is one question and its weight.
type SurveyQuestion struct {
	No     int             `json:"no"`
	Text   string          `json:"text"`
	Weight decimal.Decimal `json:"weight"`
}

// Survey is one survey: its questions, scale, the quarter it assesses and the units
// surveyed (the register's units when it was created, frozen).
type Survey struct {
	ID        string           `json:"id"`
	Title     string           `json:"title"`
	Quarter   string           `json:"quarter"`
	Date      string           `json:"date"`
	Questions []SurveyQuestion `json:"questions"`
	Scale     []ScalePoint     `json:"scale"`
	Units     []string         `json:"units"`
	Created   time.Time        `json:"created,omitzero"`
}

// SurveySheet is one paper answer sheet as keyed: its number, unit, one answer (a scale
// label, "" unanswered) per question, and an invalid reason if the sheet does not count.
type SurveySheet struct {
	No      string        `json:"no"`
	Unit    string        `json:"unit"`
	Answers []string      `json:"answers"`
	Invalid InvalidReason `json:"invalid,omitempty"`
	Row     int           `json:"row,omitempty"`
}

// SurveyResolution records the third look at a paper sheet; Sheet replaces both entries.
type SurveyResolution struct {
	Sheet SurveySheet `json:"sheet"`
	Note  string      `json:"note,omitempty"`
	Who   string      `json:"who"`
	At    time.Time   `json:"at"`
}

// SurveyRecord is everything the result reads.
type SurveyRecord struct {
	Survey      Survey
	EntryA      []SurveySheet
	EntryB      []SurveySheet
	Resolutions []SurveyResolution
}

// ParseSurveyScale reads "满意=5,基本满意=3,不满意=0" (label=points, best first or in any
// order) or "1-5" (the labels 1…5 worth their number).
func ParseSurveyScale(s string) ([]ScalePoint, error) {
	s = strings.TrimSpace(fullWidth.Replace(s))
	if s == "" {
		s = DefaultSurveyScale
	}
	if lo, hi, ok := strings.Cut(s, "-"); ok && !strings.Contains(s, "=") {
		l, ok1 := atoi(strings.TrimSpace(lo))
		h, ok2 := atoi(strings.TrimSpace(hi))
		if !ok1 || !ok2 || l >= h || h-l > 20 {
			return nil, Errorf(EINVALID, "评分尺度 %q 应写成 1-5 或 满意=5,基本满意=3,不满意=0；没有创建调查", "the scale %q must be like 1-5 or 满意=5,基本满意=3,不满意=0; no survey was created", s)
		}
		var out []ScalePoint
		for p := h; p >= l; p-- {
			out = append(out, ScalePoint{Label: strconv.Itoa(p), Points: decimal.NewFromInt(int64(p))})
		}
		return out, nil
	}
	var out []ScalePoint
	seen := map[string]bool{}
	for _, part := range strings.Split(strings.ReplaceAll(s, "，", ","), ",") {
		label, pts, ok := strings.Cut(part, "=")
		label = strings.TrimSpace(label)
		p, err := decimal.NewFromString(strings.TrimSpace(pts))
		if !ok || err != nil || label == "" || p.IsNegative() || len([]rune(label)) > 20 {
			return nil, Errorf(EINVALID, "评分尺度的一项 %q 应写成 标签=分值（分值不小于 0）；没有创建调查", "the scale item %q must be label=points (points not below 0); no survey was created", part)
		}
		if seen[label] {
			return nil, Errorf(EINVALID, "评分尺度中 %q 出现了两次；没有创建调查", "the scale has %q twice; no survey was created", label)
		}
		seen[label] = true
		out = append(out, ScalePoint{Label: label, Points: p})
	}
	if len(out) < 2 {
		return nil, Errorf(EINVALID, "评分尺度至少要有两个选项；没有创建调查", "a scale needs at least two answers; no survey was created")
	}
	return out, nil
}

// ParseSurveyQuestion reads "问题文本:权重" (the weight may be omitted: 1).
func ParseSurveyQuestion(no int, s string) (SurveyQuestion, error) {
	text, w := strings.TrimSpace(s), "1"
	if i := strings.LastIndexAny(text, ":："); i >= 0 {
		text, w = strings.TrimSpace(text[:i]), strings.TrimSpace(strings.TrimLeft(text[i:], ":："))
	}
	wt, err := ParseNumber(w)
	if err != nil || !wt.IsPositive() {
		return SurveyQuestion{}, Errorf(EINVALID, "问题 %q 的权重 %q 应为大于 0 的数；没有创建调查", "question %q: the weight %q must be a number above 0; no survey was created", text, w)
	}
	return SurveyQuestion{No: no, Text: text, Weight: wt}, nil
}

// Validate checks a survey before it is created.
func (s Survey) Validate() error {
	if err := checkText(T("调查标题", "survey title"), s.Title, 100, true); err != nil {
		return err
	}
	if _, err := ParseQuarter(s.Quarter); err != nil {
		return err
	}
	if _, err := time.Parse(DateLayout, s.Date); s.Date != "" && err != nil {
		return Errorf(EINVALID, "调查日期 %q 应写成 YYYY-MM-DD；没有创建调查", "the survey date %q must be YYYY-MM-DD; no survey was created", s.Date)
	}
	if len(s.Questions) == 0 || len(s.Questions) > 99 {
		return Errorf(EINVALID, "调查应有 1 到 99 个问题，而不是 %d 个；没有创建调查", "a survey has 1 to 99 questions, not %d; no survey was created", len(s.Questions))
	}
	for i, q := range s.Questions {
		if q.No != i+1 {
			return Errorf(EINVALID, "问题应从 1 起连续编号；没有创建调查", "questions are numbered from 1 without gaps; no survey was created")
		}
		if err := checkText(T("问题", "question"), q.Text, 200, true); err != nil {
			return err
		}
		if !q.Weight.IsPositive() {
			return Errorf(EINVALID, "问题 %d 的权重必须大于 0；没有创建调查", "question %d: the weight must be above 0; no survey was created", q.No)
		}
	}
	if len(s.Scale) < 2 || !s.top().IsPositive() || !s.top().GreaterThan(s.bottom()) {
		return Errorf(EINVALID, "评分尺度至少要有两个选项，最高分大于 0 且大于最低分；没有创建调查", "the scale needs two answers or more and a top above 0 and above its lowest; no survey was created")
	}
	return nil
}

// bottom is the scale's lowest points: the answer that scores 0.
func (s Survey) bottom() decimal.Decimal {
	if len(s.Scale) == 0 {
		return decimal.Zero
	}
	b := s.Scale[0].Points
	for _, p := range s.Scale {
		if p.Points.LessThan(b) {
			b = p.Points
		}
	}
	return b
}

// top is the scale's highest points.
func (s Survey) top() decimal.Decimal {
	var t decimal.Decimal
	for _, p := range s.Scale {
		if p.Points.GreaterThan(t) {
			t = p.Points
		}
	}
	return t
}

// Answer finds the scale answer a keyed cell means: its label, or its points when only
// one answer has them. ok is false for anything else; "" is unanswered.
func (s Survey) Answer(cell string) (label string, ok bool) {
	cell = strings.TrimSpace(fullWidth.Replace(cell))
	if cell == "" {
		return "", true
	}
	for _, p := range s.Scale {
		if p.Label == cell {
			return p.Label, true
		}
	}
	if d, err := decimal.NewFromString(cell); err == nil {
		found := ""
		for _, p := range s.Scale {
			if p.Points.Equal(d) {
				if found != "" {
					return "", false
				}
				found = p.Label
			}
		}
		return found, found != ""
	}
	return "", false
}

// scaleLabels lists the answers for messages.
func (s Survey) scaleLabels() string {
	ls := make([]string, len(s.Scale))
	for i, p := range s.Scale {
		ls[i] = p.Label
	}
	return strings.Join(ls, "/")
}

// CheckSheet checks a keyed sheet against the survey: a number, one answer of the
// scale (or none) per question.
func (s Survey) CheckSheet(sh SurveySheet) error {
	if sh.No == "" {
		return Errorf(EINVALID, "答卷编号为空", "the sheet number is empty")
	}
	if len(sh.Answers) != len(s.Questions) {
		return Errorf(EINVALID, "答卷 %s 有 %d 个回答，本调查有 %d 个问题", "sheet %s has %d answers, the survey has %d questions", sh.No, len(sh.Answers), len(s.Questions))
	}
	for i, a := range sh.Answers {
		if l, ok := s.Answer(a); !ok || l != a {
			return Errorf(EINVALID, "答卷 %s 问题%d 的回答应为 %s 或留空，而不是 %q", "sheet %s question %d: the answer must be %s or empty, not %q", sh.No, i+1, s.scaleLabels(), a)
		}
	}
	if len([]rune(sh.No)) > 40 || len([]rune(sh.Unit)) > 60 || len([]rune(sh.Invalid)) > 200 {
		return Errorf(EINVALID, "答卷 %s 的内容太长", "sheet %s: a cell is too long", sh.No)
	}
	return nil
}

// SurveyEntry reads answer sheets for two-person keying: fields unit, q<no> per
// question and invalid_reason.
var SurveyEntry = Transcription[SurveySheet]{
	No: func(s SurveySheet) string { return s.No },
	Fields: func(s SurveySheet) []PaperField {
		fs := make([]PaperField, 0, len(s.Answers)+2)
		fs = append(fs, PaperField{"unit", s.Unit})
		for i, a := range s.Answers {
			fs = append(fs, PaperField{"q" + strconv.Itoa(i+1), a})
		}
		return append(fs, PaperField{"invalid_reason", string(s.Invalid)})
	},
}

// ParseSurveyRows reads an answer-sheet transcription (`sheet_no,unit,q1,q2,...,
// invalid_reason` or `答卷编号,房号,问题1,...,无效原因`; the header row first). Every
// question needs its column; an answer not on the scale, an empty or repeated sheet
// number rejects the whole file with the row number and the reason.
func ParseSurveyRows(rows [][]string, s Survey) ([]SurveySheet, error) {
	rows = dropBlankRows(rows)
	if len(rows) == 0 {
		return nil, Errorf(EINVALID, "答卷文件是空的；没有录入任何答卷", "the answer-sheet file is empty; no sheet was entered")
	}
	if len(rows)-1 > MaxUnits {
		return nil, Errorf(EINVALID, "答卷文件有 %d 行，超过上限 %d；没有录入任何答卷", "the answer-sheet file has %d rows, more than the limit of %d; no sheet was entered", len(rows)-1, MaxUnits)
	}
	col, err := headerColumns(rows[0], func(h string) (string, bool) {
		switch h {
		case "sheet_no", "no", "答卷编号", "编号", "问卷编号":
			return "no", true
		case "unit", "房号":
			return "unit", true
		case "invalid_reason", "无效原因":
			return "invalid", true
		}
		for _, p := range []string{"q", "question", "问题", "题"} {
			if n, ok := atoi(strings.TrimPrefix(strings.ReplaceAll(fullWidth.Replace(h), "_", ""), p)); ok && strings.HasPrefix(h, p) {
				return "q" + strconv.Itoa(n), true
			}
		}
		return "", false
	})
	if err != nil {
		return nil, err
	}
	for _, need := range append([]string{"no", "unit"}, questionCols(len(s.Questions))...) {
		if _, ok := col[need]; !ok {
			return nil, Errorf(EINVALID, "第 1 行表头缺少“%s”列（需要 答卷编号、房号 和每个问题一列 问题1…问题%d）；没有录入任何答卷", "row 1: the header lacks the column %q (sheet_no, unit and q1…q%d are required); no sheet was entered", need, len(s.Questions))
		}
	}
	for name := range col {
		if n, ok := atoi(strings.TrimPrefix(name, "q")); ok && strings.HasPrefix(name, "q") && (n < 1 || n > len(s.Questions)) {
			return nil, Errorf(EINVALID, "第 1 行：表头有问题 %d 的列，但本调查只有 %d 个问题；没有录入任何答卷", "row 1: the header has a column for question %d but the survey has %d; no sheet was entered", n, len(s.Questions))
		}
	}
	seen := map[string]int{}
	out := make([]SurveySheet, 0, len(rows)-1)
	for n, r := range rows[1:] {
		rowNo := n + 2
		if isBlankRow(r) {
			continue
		}
		sh := SurveySheet{No: NormalizeBallotNo(cellAt(r, col["no"])), Unit: NormalizeUnitID(cellAt(r, col["unit"])), Answers: make([]string, len(s.Questions)), Row: rowNo}
		if c, ok := col["invalid"]; ok {
			sh.Invalid = NormalizeReason(cellAt(r, c))
		}
		for i := range sh.Answers {
			raw := cellAt(r, col["q"+strconv.Itoa(i+1)])
			l, ok := s.Answer(raw)
			if !ok {
				return nil, rowError(rowNo, Errorf(EINVALID, "问题%d 的回答应为 %s 或留空，而不是 %q；没有录入任何答卷", "question %d: the answer must be %s or empty, not %q; no sheet was entered", i+1, s.scaleLabels(), raw))
			}
			sh.Answers[i] = l
		}
		if err := s.CheckSheet(sh); err != nil {
			return nil, rowError(rowNo, err)
		}
		if first, dup := seen[sh.No]; dup {
			return nil, rowError(rowNo, Errorf(EINVALID, "答卷编号 %s 重复（第 %d 行已有）；没有录入任何答卷", "sheet number %s is a duplicate (already on row %d); no sheet was entered", sh.No, first))
		}
		seen[sh.No] = rowNo
		out = append(out, sh)
	}
	if len(out) == 0 {
		return nil, Errorf(EINVALID, "答卷文件只有表头，没有答卷", "the answer-sheet file has a header but no sheets")
	}
	return out, nil
}

func questionCols(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "q" + strconv.Itoa(i+1)
	}
	return out
}

// QuestionScore is one question's result: answers counted, their spread over the scale
// and the score out of 100 (HasScore false when nobody answered: the question is then
// left out of the total).
type QuestionScore struct {
	No       int             `json:"no"`
	Text     string          `json:"text"`
	Weight   decimal.Decimal `json:"weight"`
	Answered int             `json:"answered"`
	Counts   map[string]int  `json:"counts"`
	Score    decimal.Decimal `json:"score"`
	HasScore bool            `json:"has_score"`
}

// SurveyResult is the count of a survey.
type SurveyResult struct {
	ID            string          `json:"id"`
	Title         string          `json:"title"`
	Quarter       string          `json:"quarter"`
	Surveyed      int             `json:"surveyed"`
	Returned      int             `json:"returned"`
	Participation decimal.Decimal `json:"participation"` // percent, 2 decimals
	EnteredA      int             `json:"entered_a"`
	EnteredB      int             `json:"entered_b"`
	Unreconciled  []string        `json:"unreconciled"`
	Invalid       []string        `json:"invalid"`    // sheet numbers
	Duplicates    []string        `json:"duplicates"` // units with more than one valid sheet
	Counted       int             `json:"counted"`
	Questions     []QuestionScore `json:"questions"`
	Total         decimal.Decimal `json:"total"`
	HasTotal      bool            `json:"has_total"`
}

// ratDec rounds a rational half-up (away from zero) to 0.01, once.
func ratDec(r *rat.Rat) decimal.Decimal {
	h := new(rat.Rat).Mul(r, rat.NewRat(100, 1))
	neg := h.Sign() < 0
	if neg {
		h.Neg(h)
	}
	h.Add(h, rat.NewRat(1, 2))
	q := new(rat.Int).Quo(h.Num(), h.Denom())
	if neg {
		q.Neg(q)
	}
	return decimal.NewFromBigInt(q, -2)
}

func decRat(d decimal.Decimal) *rat.Rat { return d.Rat() }

// ScoreSurvey counts a survey. A sheet counts when it is reconciled, has no invalid
// reason, is for a surveyed unit and is the only valid sheet of its unit (two or more
// are all held back until the third look marks the extra ones invalid).
func ScoreSurvey(r SurveyRecord) SurveyResult {
	s := r.Survey
	res := make([]SurveySheet, len(r.Resolutions))
	for i, x := range r.Resolutions {
		res[i] = x.Sheet
	}
	final, _, unrec := SurveyEntry.Reconcile(r.EntryA, r.EntryB, res)
	out := SurveyResult{ID: s.ID, Title: s.Title, Quarter: s.Quarter, Surveyed: len(s.Units), EnteredA: len(r.EntryA), EnteredB: len(r.EntryB),
		Unreconciled: nonNil(unrec), Invalid: []string{}, Duplicates: []string{}}
	surveyed := make(map[string]bool, len(s.Units))
	for _, u := range s.Units {
		surveyed[u] = true
	}
	byUnit := map[string][]SurveySheet{}
	var units []string
	for _, sh := range final {
		if sh.Invalid != "" || !surveyed[sh.Unit] {
			out.Invalid = append(out.Invalid, sh.No)
			continue
		}
		if byUnit[sh.Unit] == nil {
			units = append(units, sh.Unit)
		}
		byUnit[sh.Unit] = append(byUnit[sh.Unit], sh)
	}
	sort.Slice(units, func(i, j int) bool { return UnitLess(units[i], units[j]) })
	top, bottom := decRat(s.top()), decRat(s.bottom())
	span := new(rat.Rat).Sub(top, bottom)
	sums := make([]*rat.Rat, len(s.Questions))
	for i := range sums {
		sums[i] = new(rat.Rat)
	}
	points := map[string]*rat.Rat{}
	for _, p := range s.Scale {
		points[p.Label] = decRat(p.Points)
	}
	for _, q := range s.Questions {
		out.Questions = append(out.Questions, QuestionScore{No: q.No, Text: q.Text, Weight: q.Weight, Counts: map[string]int{}})
	}
	for _, u := range units {
		shs := byUnit[u]
		if len(shs) > 1 {
			out.Duplicates = append(out.Duplicates, u)
			continue
		}
		out.Returned++
		out.Counted++
		for i, a := range shs[0].Answers {
			if a == "" {
				continue
			}
			out.Questions[i].Answered++
			out.Questions[i].Counts[a]++
			sums[i].Add(sums[i], points[a])
		}
	}
	// total = Σ w·score / Σ w over the questions answered,
	// score = 100·(sum − n·bottom)/(n·(top − bottom)): the lowest answer scores 0
	num, den := new(rat.Rat), new(rat.Rat)
	for i := range out.Questions {
		q := &out.Questions[i]
		if q.Answered == 0 {
			continue
		}
		n := rat.NewRat(int64(q.Answered), 1)
		sc := new(rat.Rat).Sub(sums[i], new(rat.Rat).Mul(n, bottom))
		sc.Mul(sc, rat.NewRat(100, 1))
		sc.Quo(sc, new(rat.Rat).Mul(span, n))
		q.Score, q.HasScore = ratDec(sc), true
		w := decRat(q.Weight)
		num.Add(num, new(rat.Rat).Mul(w, sc))
		den.Add(den, w)
	}
	if den.Sign() > 0 {
		out.Total, out.HasTotal = ratDec(new(rat.Rat).Quo(num, den)), true
	}
	if out.Surveyed > 0 {
		out.Participation = ratDec(rat.NewRat(int64(out.Returned)*100, int64(out.Surveyed)))
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// SurveyService keeps surveys and their answer sheets.
type SurveyService interface {
	// CreateSurvey records a survey with the register's units as they stand now (frozen)
	// and returns it with its id. EINVALID for a bad survey.
	CreateSurvey(ctx context.Context, s Survey, who string) (Survey, error)
	// Surveys lists every survey, oldest first.
	Surveys(ctx context.Context) ([]Survey, error)
	// SurveyRecord returns everything recorded for a survey; ENOTFOUND if there is none.
	SurveyRecord(ctx context.Context, id string) (SurveyRecord, error)
	// EnterSheets adds one transcription's sheets to entry A or B (replace: instead of
	// what that entry holds), all or nothing: ECONFLICT if a sheet number is already in
	// the entry, EINVALID for a sheet that does not fit the survey.
	EnterSheets(ctx context.Context, id, entry string, sheets []SurveySheet, replace bool, who string) error
	// ResolveSheet records the third look at a paper sheet; ENOTFOUND if neither entry
	// has that sheet number.
	ResolveSheet(ctx context.Context, id string, r SurveyResolution, who string) error
	// AssessmentWeights returns the weights of the computed assessment (40/40/20 until set).
	AssessmentWeights(ctx context.Context) (AssessmentWeights, error)
	// SetAssessmentWeights records the weights (audited with why); EINVALID for bad ones.
	SetAssessmentWeights(ctx context.Context, w AssessmentWeights, who, why string) error
}
