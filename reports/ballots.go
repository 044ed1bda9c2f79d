package reports

import (
	"context"
	"strings"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"

	"sunledger/app"
)

// BallotQR is what a printed ballot's QR code says: the assembly and the ballot number,
// "V0001-17". A scanner types it into the window's ballot number field, which takes the
// number and refuses another assembly's ballot (docs/votes.md "Printing the ballots").
func BallotQR(voteID, no string) string { return voteID + "-" + no }

// makeBallots prints the assembly's paper ballots (表决票), one page per voting unit of
// its frozen register (or only a.Unit's, to reprint one), numbered as app.VoteRecord's
// IssuedBallots number them.
func makeBallots(ctx context.Context, b book, a Args) (*Doc, error) {
	if err := needArg(a.Vote != "", "vote"); err != nil {
		return nil, err
	}
	rec, err := b.s.Votes.VoteRecord(ctx, strings.TrimSpace(a.Vote))
	if err != nil {
		return nil, err
	}
	issued := rec.IssuedBallots()
	if unit := app.NormalizeUnitID(a.Unit); unit != "" {
		var one []app.IssuedBallot
		for _, x := range issued {
			if x.Unit.ID == unit {
				one = append(one, x)
			}
		}
		if len(one) == 0 {
			return nil, app.Errorf(app.ENOTFOUND, "房号 %s 在大会 %s 没有表决票（不在冻结的登记册中或不参加表决）", "unit %s has no ballot in assembly %s (not in its frozen register, or it does not vote)", unit, rec.Assembly.ID)
		}
		issued = one
	}
	if len(issued) == 0 {
		return nil, app.Errorf(app.EINVALID, "大会 %s 的登记册没有参加表决的房号：没有可打印的表决票", "assembly %s has no voting units in its register: there are no ballots to print", rec.Assembly.ID)
	}
	return BallotsDoc(b.c.Name, b.head, b.date, rec.Assembly, issued), nil
}

// BallotsDoc lays out the paper ballots: each on its own page with the assembly, the
// ballot number in large type and as a QR code, the unit and its area (never the
// owner's name), one row per matter with boxes for 同意 / 反对 / 弃权, how a ballot is
// counted, and the signature line.
func BallotsDoc(community, head, date string, a app.Assembly, issued []app.IssuedBallot) *Doc {
	d := NewDoc(DocMeta{Community: community, Title: a.Title + " 表决票", OwnTitle: true, HeadHash: head,
		DocID: "ballots-" + a.ID, Date: date})
	d.digest(a.ID, a.Title, a.Date, a.VotingFrom, a.VotingTo)
	for _, m := range a.Matters {
		d.digest(m.Title, string(m.Kind))
	}
	period := ""
	if a.VotingFrom != "" || a.VotingTo != "" {
		period = "表决期间：" + a.VotingFrom + " 至 " + a.VotingTo + "。"
	}
	for i, x := range issued {
		d.digest(x.No, x.Unit.ID, x.Unit.Area.String())
		if i > 0 {
			d.PageBreak()
		}
		x := x
		code, qrErr := qrcode.New(BallotQR(a.ID, x.No), qrcode.Medium)
		const h = 44.0
		d.Box(h, func(pdf *gofpdf.Fpdf, left, y, w float64) {
			const q = 34.0
			SetFont(pdf, SizeTitle)
			pdf.SetXY(left, y+1)
			pdf.CellFormat(w-q-4, 8, community+" 业主大会表决票", "", 0, "L", false, 0, "")
			SetFont(pdf, SizeBody)
			yy := y + 10
			for _, l := range Wrap(pdf, a.Title+"（"+a.ID+"，"+a.Date+"）", w-q-4) {
				pdf.SetXY(left, yy)
				pdf.CellFormat(w-q-4, LineHeight(SizeBody), l, "", 0, "L", false, 0, "")
				yy += LineHeight(SizeBody)
			}
			SetFont(pdf, 22)
			pdf.SetXY(left, yy+1)
			pdf.CellFormat(w-q-4, 10, "票号 "+x.No, "", 0, "L", false, 0, "")
			SetFont(pdf, SizeBody+1)
			pdf.SetXY(left, yy+12)
			pdf.CellFormat(w-q-4, 6, "房号 "+x.Unit.ID+"（"+app.KindLabel(x.Unit.Kind)+"）　专有部分面积 "+x.Unit.Area.StringFixed(2)+" m²", "", 0, "L", false, 0, "")
			if qrErr == nil {
				drawQR(pdf, code.Bitmap(), left+w-q, y, q)
			}
			SetFont(pdf, SizeSmall)
			pdf.SetXY(left+w-q, y+q)
			pdf.CellFormat(q, 4, BallotQR(a.ID, x.No), "", 0, "C", false, 0, "")
		})
		rows := make([][]string, len(a.Matters))
		for k, m := range a.Matters {
			kind := "一般事项"
			if m.Kind == app.MatterMajor {
				kind = "重大事项"
			}
			rows[k] = []string{itoa(int64(m.No)), m.Title, kind, "□", "□", "□"}
		}
		d.Table([]Col{{"事项", 12, "C"}, {"表决内容", 93, "L"}, {"类别", 20, "C"}, {"同意", 15, "C"}, {"反对", 15, "C"}, {"弃权", 15, "C"}}, rows, TableOpts{FontSize: SizeBody})
		d.Note("填写说明：每个事项请在“同意”“反对”“弃权”中只选一项打“√”；不选或多选的，该事项按弃权计。" +
			"表决票须由业主本人签名（委托他人的附书面委托书，由受托人签名）；未签名的表决票无效。" + period +
			"请勿涂改票号：票号对应本户，录入时凭票号确认房号。")
		d.Signatures("业主（或受托人）签名")
	}
	return d
}

// drawQR draws a QR code's modules (its quiet zone included) as filled squares in a
// size × size mm square at (x, y): vector modules stay sharp on any printer, and unlike
// thousands of same-sized images they are written in a fixed order, so the same ballots
// make the same PDF byte for byte.
func drawQR(pdf *gofpdf.Fpdf, bits [][]bool, x, y, size float64) {
	if len(bits) == 0 {
		return
	}
	m := size / float64(len(bits))
	pdf.SetFillColor(0, 0, 0)
	for r, row := range bits {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c // a run of dark modules is one rectangle
			for c < len(row) && row[c] {
				c++
			}
			pdf.Rect(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m, m, "F")
		}
	}
	pdf.SetFillColor(255, 255, 255)
}
