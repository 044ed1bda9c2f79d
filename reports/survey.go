package reports

import (
	"strconv"
	"strings"

	"sunledger/app"
)

// SurveyResultDoc lays out a survey's result (业主满意度调查结果公示) for the notice board:
// participation, each question's answers, weight and score, and the weighted total. It
// names units only where a sheet was held back (duplicates), never owners, and prints no
// per-unit answers. date is the day it is printed, the first day of the 公示期.
func SurveyResultDoc(community, head, date string, s app.Survey, r app.SurveyResult) *Doc {
	d := NewDoc(DocMeta{Community: community, Public: true, Title: s.Title + " 结果公示", Subtitle: "考核季度 " + s.Quarter + "　调查编号 " + s.ID,
		HeadHash: head, DocID: "survey-" + s.ID, Date: date})
	d.Para("业主委员会就物业服务向业主发放纸质满意度调查表，答卷由两人分别录入、逐张核对一致后计分。本公示由阳光账本按核对一致的答卷生成。")
	var scale []string
	for _, p := range s.Scale {
		scale = append(scale, p.Label+" "+p.Points.String()+" 分")
	}
	d.Para("评分尺度：" + strings.Join(scale, "，") + "。每题得分 = 该题各答卷分值的平均数 ÷ 最高分 × 100；总分 = 各题得分按权重加权平均（未有人作答的题不计入）；结果四舍五入到 0.01。")

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
	var rows [][]string
	for _, q := range r.Questions {
		var counts []string
		for _, p := range s.Scale {
			if n := q.Counts[p.Label]; n > 0 {
				counts = append(counts, p.Label+" "+strconv.Itoa(n))
			}
		}
		score := "–"
		if q.HasScore {
			score = q.Score.StringFixed(2)
		}
		rows = append(rows, []string{strconv.Itoa(q.No), q.Text, q.Weight.String(), strconv.Itoa(q.Answered), strings.Join(counts, "，"), score})
	}
	total := "–"
	if r.HasTotal {
		total = r.Total.StringFixed(2)
	}
	d.Table([]Col{{Title: "序号", Width: 14, Align: "R"}, {Title: "问题"}, {Title: "权重", Width: 16, Align: "R"}, {Title: "作答", Width: 16, Align: "R"}, {Title: "回答分布"}, {Title: "得分", Width: 22, Align: "R"}},
		rows, TableOpts{Zebra: true, Totals: []string{"", "加权总分", "", "", "", total}})
	d.Note("为保护个人信息，本公示不列业主姓名，也不列任何一户的回答。页脚的账本链头可用快照核对。")
	d.Signatures("业主委员会（盖章）", "社区复核")
	return d
}
