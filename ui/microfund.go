package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

// microFundBar is the owners' micro-fund part of the settlement tab (docs/microfund.md):
// the share of the public-income surplus to move, a preview of the amount, and a
// button that moves it for a year already settled. Settling with a share filled in
// moves it in the settlement's own transaction (budgetScreen.askSettle).
type microFundBar struct {
	b       *budgetScreen
	share   *widget.Entry
	preview *widget.Label
	moveB   *widget.Button
	content fyne.CanvasObject
}

func newMicroFundBar(b *budgetScreen) *microFundBar {
	m := &microFundBar{b: b, share: widget.NewEntry(), preview: widget.NewLabel("")}
	m.share.SetPlaceHolder("30%")
	m.share.OnChanged = func(string) { m.refresh() }
	m.moveB = widget.NewButtonWithIcon(L("转入业主微基金…"), theme.MailForwardIcon(), m.askMove)
	m.content = container.NewHBox(widget.NewLabel(L("业主微基金比例")), sized(m.share, 90), m.preview, m.moveB)
	return m
}

// sharePreview is what the typed share would move, or why it cannot.
func sharePreview(st app.Settlement, typed string) (decimal.Decimal, string, error) {
	if strings.TrimSpace(typed) == "" {
		return decimal.Zero, L("（不填则不转入）"), nil
	}
	share, err := app.ParseShare(typed)
	if err != nil {
		return decimal.Zero, "", err
	}
	surplus := st.Fund(app.FundPublic).Surplus
	amount := app.MicroFundAmount(share, surplus)
	if amount.IsZero() {
		return share, L("公共收益结余 %s：不转入", app.FormatAmount(surplus)), nil
	}
	return share, L("转入 %s（公共收益结余 %s × %s%%）", app.FormatAmount(amount), app.FormatAmount(surplus), share.String()), nil
}

// refresh updates the preview and what may be done for the selected year.
func (m *microFundBar) refresh() {
	st := m.b.settlement
	if mv, ok := st.MicroFund(); ok {
		m.share.Disable()
		m.moveB.Disable()
		m.preview.SetText(L("本年度已转入 %s（凭证 #%d）；冲销该凭证后可重新设定", app.FormatAmount(mv.Amount), mv.Entry))
		return
	}
	m.share.Enable()
	_, text, err := sharePreview(st, m.share.Text)
	if err != nil {
		m.preview.SetText(L("比例应为 0–100%"))
		m.moveB.Disable()
		return
	}
	m.preview.SetText(text)
	if m.b.settled && strings.TrimSpace(m.share.Text) != "" {
		m.moveB.Enable()
	} else {
		m.moveB.Disable()
	}
}

// shareForSettle is the share to move while settling, nil when none is typed.
func (m *microFundBar) shareForSettle() (*decimal.Decimal, error) {
	if strings.TrimSpace(m.share.Text) == "" {
		return nil, nil
	}
	share, err := app.ParseShare(m.share.Text)
	if err != nil {
		return nil, err
	}
	return &share, nil
}

func (m *microFundBar) askMove() {
	y := m.b.yearNo()
	share, text, err := sharePreview(m.b.settlement, m.share.Text)
	if err != nil {
		ShowError(err, m.b.w)
		return
	}
	dialog.ShowConfirm(L("业主微基金"), L("%d 年：%s。记一张凭证？", y, text), func(ok bool) {
		if !ok {
			return
		}
		if err := m.move(y, share); err != nil {
			ShowError(err, m.b.w)
		}
	}, m.b.w)
}

// move moves share % of the settled year y and shows the result.
func (m *microFundBar) move(y int, share decimal.Decimal) error {
	if _, err := m.b.s.Settlements.MoveMicroFund(context.Background(), y, share, Operator(), ""); err != nil {
		return err
	}
	m.share.SetText("")
	m.b.loadSettlement()
	return nil
}

// microFundText is the year's micro-fund decision in words, for SettlementText.
func microFundText(st app.Settlement) string {
	mv, ok := st.MicroFundDecision()
	if !ok {
		return ""
	}
	switch {
	case mv.Entry == 0:
		return L("【业主微基金】比例 %s%%，公共收益本年无结余，未转入", mv.Share.String())
	case mv.Reversed != 0:
		return L("【业主微基金】%s%% × %s = %s（凭证 #%d，已被凭证 #%d 冲销）", mv.Share.String(), app.FormatAmount(mv.Surplus), app.FormatAmount(mv.Amount), mv.Entry, mv.Reversed)
	}
	return L("【业主微基金】公共收益结余 %s 的 %s%%，转入 %s（凭证 #%d）", app.FormatAmount(mv.Surplus), mv.Share.String(), app.FormatAmount(mv.Amount), mv.Entry)
}
