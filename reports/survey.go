package reports

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// SurveyResultDoc lays out a survey's result (业主满意度调查结果公示) for the notice board:
// participation, each question's answers, weight and score, and the weighted total. It
// names units only where a sheet was held back (duplicates), never owners, and prints no
// per-unit answers. date is the day it is printed, the first day of the 公示期.
//
// Each answer's score on the 0–100 scale is printed (the lowest answer scores 0), the
// answers' counts are columns headed by their label, so a label never parts from its
// count, and the quarter's assessment, when recorded, says what the survey weighed in it
// (docs/notices.md "Survey notice").
func SurveyResultDoc(community, head, date string, s app.Survey, r app.SurveyResult, link ...SurveyLink) *Doc {
	d := NewDoc(DocMeta{Community: community, Public: true, Title: s.Title + " 结果公示", Subtitle: "考核季度 " + s.Quarter + "　调查编号 " + s.ID,
		HeadHash: head, DocID: "survey-" + s.ID, Date: date})
	d.Para("业主委员会就物业服务向业主发放纸质满意度调查表，答卷由两人分别录入、逐张核对一致后计分。本公示由阳光账本按核对一致的答卷生成。")
	var scale []string
	for _, p := range s.Scale {
		scale = append(scale, p.Label+" = "+answerScore(s, p.Points)+" 分")
	}
	d.Para("每个回答的分值（百分制，最低一档为 0 分、最高一档为 100 分，其间等距）：" + strings.Join(scale, "，") +
		"。最低一档记 0 分而不是 20 分：“非常不满意”表示这一项没有做到，不应得分。每题得分 = 该题各回答分值的平均数；总分 = 各题得分按权重加权平均（未有人作答的题不计入）；结果四舍五入到 0.01。")

	d.Heading("一、参与情况")
	d.KV([]KV{
		{Key: "调查户数", Value: strconv.Itoa(r.Surveyed)},
		{Key: "有效答卷", Value: strconv.Itoa(r.Returned)},
		{Key: "参与率", Value: r.Participation.StringFixed(2) + "%"},
		{Key: "无效答卷", Value: strconv.Itoa(len(r.Invalid))},
		{Key: "尚未核对一致", Value: strconv.Itoa(len(r.Unreconciled))},
	})
	if len(r.Duplicates) > 0 {
		d.Para("以下房号交回了不止一份有效答卷，暂不计入：" + strings.Join(r.Duplicates, "、") + "。")
	}

	d.Heading("二、各题得分")
	cols := []Col{{Title: "序号", Width: 10, Align: "R"}, {Title: "问题"}, {Title: "权重", Width: 11, Align: "R"}, {Title: "作答", Width: 11, Align: "R"}}
	for _, p := range s.Scale {
		cols = append(cols, Col{Title: p.Label + "\n" + answerScore(s, p.Points) + "分", Width: 15, Align: "R"})
	}
	cols = append(cols, Col{Title: "得分", Width: 15, Align: "R"})
	var rows [][]string
	for _, q := range r.Questions {
		row := []string{strconv.Itoa(q.No), q.Text, q.Weight.String(), strconv.Itoa(q.Answered)}
		for _, p := range s.Scale {
			row = append(row, strconv.Itoa(q.Counts[p.Label]))
		}
		score := "–"
		if q.HasScore {
			score = q.Score.StringFixed(2)
		}
		rows = append(rows, append(row, score))
	}
	total := "–"
	if r.HasTotal {
		total = r.Total.StringFixed(2)
	}
	totals := make([]string, len(cols))
	totals[1], totals[len(cols)-1] = "加权总分", total
	d.Table(cols, rows, TableOpts{Zebra: true, Caption: "各回答一栏为选该回答的答卷数；表头下为该回答的分值", Totals: totals})

	d.Heading("三、计入季度考核")
	switch l := firstLink(link); {
	case l.Assessment == nil:
		d.Para("本调查的总分计入 " + s.Quarter + " 物业服务考核（满意度调查部分）。该季度的考核尚未登记，登记后在物业服务质量公示中公布。")
	default:
		a := l.Assessment
		line := s.Quarter + " 物业服务考核综合得分 " + a.Total().StringFixed(2) + " 分"
		if l.HasFactor {
			line += "，酬金系数 " + l.Factor.String()
		}
		part := "本调查的总分计入该季度考核"
		if a.Basis != nil {
			for _, c := range a.Basis.Components {
				if strings.Contains(c.Source, s.ID) {
					switch {
					case c.Unreliable:
						part = "本调查参与率低于设定的最低参与率（" + a.Basis.Weights.MinParticipation.String() + "%），未计入该季度考核"
					case c.Present:
						part = "本调查作为“" + c.Name + "”部分计入该季度考核，权重 " + c.Weight.String() + "，得分 " + c.Score.StringFixed(2) + "，贡献 " + c.Contribution.StringFixed(2) + " 分"
					}
				}
			}
		}
		d.Para(part + "；" + line + "。考核的全部组成见物业服务质量公示。")
	}
	d.Note("为保护个人信息，本公示不列业主姓名，也不列任何一户的回答。页脚的账本链头可用快照核对。")
	d.Signatures("业主委员会（盖章）", "社区复核")
	return d
}

// SurveyLink is the quarter's assessment a survey counts toward, once recorded, and the
// remuneration factor its score gives (HasFactor: the contract has score bands).
type SurveyLink struct {
	Assessment *app.Assessment
	Factor     decimal.Decimal
	HasFactor  bool
}

func firstLink(l []SurveyLink) SurveyLink {
	if len(l) == 0 {
		return SurveyLink{}
	}
	return l[0]
}

// answerScore is what an answer of points scores on the survey's 0–100 scale: the
// lowest answer 0, the highest 100 (app.ScoreSurvey).
func answerScore(s app.Survey, points decimal.Decimal) string {
	lo, hi := points, points
	for _, p := range s.Scale {
		lo, hi = decimal.Min(lo, p.Points), decimal.Max(hi, p.Points)
	}
	if !hi.GreaterThan(lo) {
		return "–"
	}
	v := points.Sub(lo).Mul(decimal.NewFromInt(100)).Div(hi.Sub(lo)).Round(2)
	return v.String()
}
