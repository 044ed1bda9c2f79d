package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/internal/atomicfile"
)

func init() {
	register("ledger deposit", "--fund service|public|maintenance --amount A --slip NO [--scan FILE] [--date YYYY-MM-DD]   "+app.T("库存现金存入银行（凭银行缴款单号，附缴款单扫描件）；须另一位成员确认", "take a fund's cash to the bank (with the bank's deposit slip number and its scan); another member must confirm it"), ledgerDeposit)
	register("ledger deposit-confirm", "--slip NO --as NAME [--scan FILE] [--passphrase-file F]   "+app.T("另一位成员核对缴款单及扫描件后签名确认存款（未附扫描件时可在此附上）", "a second member checks the slip and its scan and signs the deposit's confirmation (--scan attaches a scan the deposit lacks)"), ledgerDepositConfirm)
	register("ledger deposits", "[--json]   "+app.T("现金存款单：金额、缴款单号、扫描件和确认人；列出待确认的存款", "the cash deposits with their slip, scan and who confirmed them; those awaiting confirmation are flagged"), ledgerDeposits)
	register("ledger deposit-scan", "--slip NO --out FILE   "+app.T("取出缴款单扫描件", "save a deposit slip's scan"), ledgerDepositScan)
	register("ledger cash-limit", "[--fund F --amount A] [--days N]   "+app.T("设定各资金库存现金限额（0 取消）和现金收款应在几天内存入银行（0 不检查）；不带参数时显示限额和警告", "set a fund's cash-on-hand limit (0 removes it) and within how many days cash received should be banked (0: not checked); without flags, show them and any warning"), ledgerCashLimit)
}

// parseFundAmount reads --fund and --amount (as app.ParseFund and app.ParseAmount do).
func parseFundAmount(fund, amount string) (app.Fund, decimal.Decimal, error) {
	f, err := app.ParseFund(fund)
	if err != nil {
		return "", decimal.Zero, err
	}
	amt, err := app.ParseAmount(amount)
	return f, amt, err
}

func ledgerDeposit(e *env, args []string) error {
	fs := newFlags("ledger deposit")
	fund := fs.String("fund", "", "service|public|maintenance")
	amount := fs.String("amount", "", "amount")
	slip := fs.String("slip", "", "deposit slip number")
	date := fs.String("date", "", "YYYY-MM-DD (default today)")
	scan := fs.String("scan", "", "the bank slip's scan or photo")
	as := asFlag(fs)
	why := whyFlag(fs)
	if err := parseStrict(fs, args, "fund", "amount", "slip"); err != nil {
		return err
	}
	f, amt, err := parseFundAmount(*fund, *amount)
	if err != nil {
		return err
	}
	d := app.CashDeposit{Fund: f, Amount: amt, Slip: *slip, Date: strings.TrimSpace(*date)}
	if err := d.Validate(); err != nil {
		return err
	}
	if *scan != "" {
		files, err := readAttachments([]string{*scan})
		if err != nil {
			return err
		}
		d.ScanFile = &files[0]
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	d, err = svc.Cash.DepositCash(e.ctx, d, who(*as), *why)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("%s现金 %s 已存入银行（缴款单 %s，%s）\n", "%s: %s cash deposited (slip %s, %s)\n"),
		f.Label(), app.FormatAmount(d.Amount), d.Slip, d.Date)
	if d.Scan == nil {
		fmt.Fprintln(e.stdout, app.T("⚠ 未附缴款单扫描件：确认时请用 --scan 附上", "⚠ no scan of the slip: attach it with --scan when confirming"))
	}
	fmt.Fprintln(e.stdout, app.T("待另一位成员确认：ledger deposit-confirm --slip "+d.Slip+" --as 姓名", "awaiting a second member's confirmation: ledger deposit-confirm --slip "+d.Slip+" --as NAME"))
	fmt.Fprintf(e.stdout, app.T("凭证号 %d\n", "entry %d\n"), d.Entry)
	return nil
}

func ledgerDepositConfirm(e *env, args []string) error {
	fs := newFlags("ledger deposit-confirm")
	slip := fs.String("slip", "", "deposit slip number")
	as := fs.String("as", "", "member")
	pf := fs.String("passphrase-file", "", "file holding the member's passphrase")
	scan := fs.String("scan", "", "the bank slip's scan or photo, if the deposit has none")
	if err := parseStrict(fs, args, "slip", "as"); err != nil {
		return err
	}
	var files []app.AttachmentFile
	if *scan != "" {
		var err error
		if files, err = readAttachments([]string{*scan}); err != nil {
			return err
		}
	}
	pass, err := (signerFlags{pf: pf}).passphrase()
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if len(files) > 0 {
		if _, err := svc.Cash.AttachDepositScan(e.ctx, *slip, files[0], *as); err != nil {
			return err
		}
	}
	d, err := svc.Cash.ConfirmDeposit(e.ctx, *slip, *as, pass)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("缴款单 %s（%s %s，%s 登记）已由 %s 确认并签名\n", "deposit slip %s (%s %s, recorded by %s) confirmed and signed by %s\n"),
		d.Slip, d.Fund.Label(), app.FormatAmount(d.Amount), d.Who, d.Confirmed.Signer)
	return nil
}

func ledgerDeposits(e *env, args []string) error {
	fs := newFlags("ledger deposits")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	ds, err := svc.Cash.CashDeposits(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			Slip        string `json:"slip"`
			Fund        string `json:"fund"`
			Amount      string `json:"amount"`
			Date        string `json:"date"`
			Entry       int64  `json:"entry"`
			Who         string `json:"who"`
			Scan        string `json:"scan,omitempty"` // its SHA-256
			ConfirmedBy string `json:"confirmed_by,omitempty"`
			Reversed    int64  `json:"reversed,omitempty"`
		}
		rows := []row{}
		for _, d := range ds {
			r := row{Slip: d.Slip, Fund: string(d.Fund), Amount: app.PlainAmount(d.Amount), Date: d.Date, Entry: d.Entry, Who: d.Who, Reversed: d.Reversed}
			if d.Scan != nil {
				r.Scan = d.Scan.SHA256
			}
			if d.Confirmed != nil {
				r.ConfirmedBy = d.Confirmed.Signer
			}
			rows = append(rows, r)
		}
		return printJSON(e.stdout, rows)
	}
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, app.T("缴款单\t资金\t金额\t日期\t凭证\t登记人\t扫描件\t确认", "slip\tfund\tamount\tdate\tentry\trecorded by\tscan\tconfirmed"))
	waiting := 0
	for _, d := range ds {
		scan, conf := app.T("缺", "missing"), app.T("待确认", "awaiting")
		if d.Scan != nil {
			scan = d.Scan.Name
		}
		switch {
		case d.Reversed != 0:
			conf = fmt.Sprintf(app.T("已冲销 #%d", "reversed #%d"), d.Reversed)
		case d.Confirmed != nil:
			conf = d.Confirmed.Signer + " " + d.Confirmed.At.Local().Format(app.DateLayout)
		default:
			waiting++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t#%d\t%s\t%s\t%s\n", d.Slip, d.Fund.Label(), app.PlainAmount(d.Amount), d.Date, d.Entry, d.Who, scan, conf)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if waiting > 0 {
		fmt.Fprintf(e.stdout, app.T("⚠ %d 笔存款待另一位成员确认\n", "⚠ %d deposits await a second member's confirmation\n"), waiting)
	}
	return nil
}

func ledgerDepositScan(e *env, args []string) error {
	fs := newFlags("ledger deposit-scan")
	slip := fs.String("slip", "", "deposit slip number")
	out := fs.String("out", "", "file")
	svc, err := e.parseOpen(fs, args, "slip", "out")
	if err != nil {
		return err
	}
	a, data, err := svc.Cash.DepositScan(e.ctx, *slip)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已取出缴款单扫描件 %s（%d 字节，SHA-256 %s）到 %s\n", "saved the slip scan %s (%d bytes, SHA-256 %s) to %s\n"), a.Name, a.Size, a.SHA256, *out)
	return nil
}

func ledgerCashLimit(e *env, args []string) error {
	fs := newFlags("ledger cash-limit")
	fund := fs.String("fund", "", "service|public|maintenance")
	amount := fs.String("amount", "", "limit (0 removes it)")
	days := fs.Int("days", -1, "cash received should be banked within this many days (0: not checked)")
	as := asFlag(fs)
	why := whyFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	if *days >= 0 {
		if err := svc.Cash.SetCashDays(e.ctx, *days, who(*as), *why); err != nil {
			return err
		}
	}
	if *fund != "" || *amount != "" {
		if err := needFlags(fs, "fund", "amount"); err != nil {
			return err
		}
		f, err := app.ParseFund(*fund)
		if err != nil {
			return err
		}
		lim := decimal.Zero
		if strings.TrimSpace(*amount) != "0" {
			if lim, err = app.ParseAmount(*amount); err != nil {
				return err
			}
		}
		if err := svc.Cash.SetCashLimit(e.ctx, f, lim, who(*as), *why); err != nil {
			return err
		}
	}
	limits, err := svc.Cash.CashLimits(e.ctx)
	if err != nil {
		return err
	}
	bals, err := svc.Ledger.Balances(e.ctx)
	if err != nil {
		return err
	}
	over := map[app.Fund]app.CashWarning{}
	for _, w := range app.CashWarnings(bals, limits) {
		over[w.Fund] = w
	}
	for _, f := range app.Funds {
		lim, ok := limits[f]
		if !ok {
			continue
		}
		line := fmt.Sprintf(app.T("%s 库存现金限额 %s", "%s cash limit %s"), f.Label(), app.FormatAmount(lim))
		if w, bad := over[f]; bad {
			line += fmt.Sprintf(app.T("，现有 %s，超出 %s，请尽快存入银行", "; holds %s, %s over: take it to the bank"), app.FormatAmount(w.Cash), app.FormatAmount(w.Cash.Sub(w.Limit)))
		}
		fmt.Fprintln(e.stdout, line)
	}
	if len(limits) == 0 {
		fmt.Fprintln(e.stdout, app.T("没有设定库存现金限额", "no cash limits are set"))
	}
	n, err := svc.Cash.CashDays(e.ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(e.stdout, app.T("现金收款应在 %d 天内存入银行\n", "cash received should be banked within %d days\n"), n)
		ws, err := app.CashBoxWarnings(e.ctx, svc, svc.Now().Local().Format(app.DateLayout), 0)
		if err != nil {
			return err
		}
		for _, w := range ws {
			fmt.Fprintln(e.stdout, app.T("警告：", "warning: ")+w)
		}
	}
	return nil
}
