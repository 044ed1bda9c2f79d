package app

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Community is the 小区 whose books this is, with the settings from its 议事规则.
type Community struct {
	Name string `json:"name"`
	// ExcludeParking: the community's rules (议事规则) leave parking spaces out of the
	// area and headcount of votes. By default they count like every exclusive part
	// (SPC interpretation art. 8: the area in the property register).
	ExcludeParking bool           `json:"exclude_parking"`
	CreatedAt      time.Time      `json:"created_at"`
	Notices        NoticeSettings `json:"notices,omitempty"`
}

// NoticeSettings are what the committee sets once and every notice then prints: how
// long a public notice stays up (公示期) and where to object, and, on fee notices, the
// due day, how to pay, the account and the property office's phone.
type NoticeSettings struct {
	NoticeDays  int    `json:"notice_days,omitempty"`  // 公示期 in days; 0 = 15
	Objection   string `json:"objection,omitempty"`    // where and how owners object; "" = to the committee in writing
	DueDay      int    `json:"due_day,omitempty"`      // fees are due by this day of the billed month; 0 = 15
	PayChannels string `json:"pay_channels,omitempty"` // e.g. "物业服务中心现金或刷卡；微信/支付宝扫码"
	PayAccount  string `json:"pay_account,omitempty"`  // e.g. "户名 … 开户行 … 账号 …"
	OfficePhone string `json:"office_phone,omitempty"` // the property service office
	// OfficeAddress is where owners bring an objection (printed beside the phone when set).
	OfficeAddress string `json:"office_address,omitempty"`
	// Inspection is when and where owners may inspect the vouchers (凭证查阅), printed on
	// the quarterly disclosure, e.g. "每月第一个星期六 9:00–11:00，物业服务中心二楼".
	Inspection string `json:"inspection,omitempty"`
	// DeemedRule is the deemed-vote clause (送达即参与 / 未投票视为同意多数) of the
	// community's own rules, verbatim, for assemblies that apply it without --rule.
	DeemedRule string `json:"deemed_rule,omitempty"`
}

// Defaults of NoticeSettings.
const (
	DefaultNoticeDays = 15
	DefaultDueDay     = 15
)

// Days is the 公示期 in days.
func (n NoticeSettings) Days() int {
	if n.NoticeDays <= 0 {
		return DefaultNoticeDays
	}
	return n.NoticeDays
}

// DueDate is the day (YYYY-MM-DD) a month's fees are due.
func (n NoticeSettings) DueDate(month string) string {
	d := n.DueDay
	if d <= 0 {
		d = DefaultDueDay
	}
	last := LastDay(month)
	if day := fmt.Sprintf("%s-%02d", month, d); day < last {
		return day
	}
	return last
}

// ReadyToPublish refuses a notice for the board while a setting it must print is unset
// (docs/notices.md): every public notice gives the property office's phone, for owners'
// questions and objections; a fee notice also says how to pay and into which account.
// The error names the missing settings in words, where the window sets them and the
// command-line flags that set them.
func (n NoticeSettings) ReadyToPublish(feeNotice bool) error {
	var missing, zh, en []string
	add := func(flag, z, e string) {
		missing, zh, en = append(missing, flag), append(zh, z), append(en, e)
	}
	if strings.TrimSpace(n.OfficePhone) == "" {
		add("--office-phone", "物业服务中心电话", "the service office's phone")
	}
	if feeNotice {
		if strings.TrimSpace(n.PayAccount) == "" {
			add("--pay-account", "共管账户", "the trust account")
		}
		if strings.TrimSpace(n.PayChannels) == "" {
			add("--pay-channels", "缴费方式", "how to pay")
		}
	}
	if len(missing) == 0 {
		return nil
	}
	flags := strings.Join(missing, " ")
	return &Error{Code: EINVALID,
		ZH: "公示前请先填写" + strings.Join(zh, "、") + "（窗口：开始使用或公示打印页的“公示与缴费设置”；命令行：sunledger-cli settings " + flags + " …）：没有生成任何文件",
		EN: "fill in " + strings.Join(en, ", ") + " before printing this notice (the window: Notice and payment settings on the Getting started or Print page; the command line: sunledger-cli settings " + flags + " …): nothing was written"}
}

// Validate checks the settings' bounds.
func (n NoticeSettings) Validate() error {
	if n.NoticeDays < 0 || n.NoticeDays > 90 {
		return Errorf(EINVALID, "公示期应为 1 到 90 天", "the notice period must be 1 to 90 days")
	}
	if n.DueDay < 0 || n.DueDay > 31 {
		return Errorf(EINVALID, "缴费截止日应为每月 1 到 31 日", "the due day must be a day of the month, 1 to 31")
	}
	if len([]rune(n.DeemedRule)) > 2000 {
		return Errorf(EINVALID, "视为表决条款原文太长（最多 2000 字）", "the deemed-vote clause is too long (2000 characters at most)")
	}
	for _, f := range []string{n.Objection, n.PayChannels, n.PayAccount, n.OfficePhone, n.OfficeAddress, n.Inspection} {
		if len([]rune(f)) > 200 {
			return Errorf(EINVALID, "设置内容太长（每项最多 200 字）", "a setting is too long (200 characters at most)")
		}
	}
	return nil
}

// Validate checks the community's settings.
func (c Community) Validate() error {
	if strings.TrimSpace(c.Name) == "" {
		return Errorf(EINVALID, "小区名称不能为空：没有做任何更改；请填写小区名称", "the community needs a name: nothing was changed; give it a name")
	}
	if len([]rune(c.Name)) > 100 {
		return Errorf(EINVALID, "小区名称太长（最多 100 字）：没有做任何更改；请用较短的名称", "the community name is too long (100 characters at most): nothing was changed; use a shorter name")
	}
	// The name heads every notice, receipt and the journal export on one line: a line
	// break or tab would split them.
	if strings.ContainsFunc(c.Name, unicode.IsControl) {
		return Errorf(EINVALID, "小区名称含有换行符或制表符：没有做任何更改；请删掉后再试", "the community name contains a line break or tab: nothing was changed; remove it and try again")
	}
	return c.Notices.Validate()
}

// AuditRecord is one line of the audit log (操作日志): who changed what, when and why.
// The log is append-only; it records refused attempts that matter (a wrong passphrase,
// a signature out of turn) as well as changes.
type AuditRecord struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	Action string    `json:"action"`
	What   string    `json:"what"`
	Why    string    `json:"why,omitempty"`
}

// BookService opens and describes the community book as a whole.
type BookService interface {
	// Init creates an empty book; ECONFLICT if the folder already holds one.
	Init(ctx context.Context, c Community, who string) error
	// Community returns the book's community; ENOTFOUND if the folder holds no book.
	Community(ctx context.Context) (Community, error)
	// Audit returns the audit log, oldest first.
	Audit(ctx context.Context) ([]AuditRecord, error)
	// UpdateCommunity changes the community's name or settings (the creation time
	// stays); EINVALID for settings out of bounds.
	UpdateCommunity(ctx context.Context, c Community, who, why string) error
}
