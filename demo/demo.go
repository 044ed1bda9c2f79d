// Package demo builds a realistic demo community into an empty book, through the same
// services the committee uses: the register, years of fees and payments, the approval
// chain, an owners' assembly, a maintenance-fund repair, settlements and service
// requests. The same seed and the same clock (the book's) build the same community.
// What every demo holds, whatever its size: docs/demo.md.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sunledger/app"
	"time"

	"github.com/shopspring/decimal"
)

// Options size the demo community that `demo` builds for trying Sunledger out.
type Options struct {
	Name  string
	Units int
	Years int
	Seed  int64
	// Progress, if set, is told what each step is doing.
	Progress func(step string)
}

// maxUnitYears bounds a demo's history: units × years.
const maxUnitYears = 200000

// Result says what was built.
type Result struct {
	Name  string
	Units int
}

// step is one part of the demo's history, run after the register exists.
type step struct {
	name func() string // what the progress line says: translated when it runs
	run  func(ctx context.Context, s app.Services, d *builder) error
}

// steps are the demo's parts in the order they must run.
func steps() []step {
	return []step{
		{func() string {
			return app.T("生成物业费、缴费和公共收益…", "billing fees, payments and public income…")
		}, demoFees},
		{func() string {
			return app.T("一年的报修、投诉和咨询…", "a year of repairs, complaints and enquiries…")
		}, demoService},
		{func() string {
			return app.T("两次业主满意度调查（答卷双人录入）…", "two owner satisfaction surveys with double-entered sheets…")
		}, demoSurveys},
		// after the service requests and the surveys: each quarter's assessment is computed from them
		{func() string {
			return app.T("成员、预算、酬金和一年的支出审批…", "members, budgets, remuneration and a year of expenses through the approval chain…")
		}, demoExpenses},
		{func() string {
			return app.T("业主大会表决与双人录入选票…", "an owners' assembly with double-entered ballots…")
		}, demoVote},
		// after the vote: the repair cites the demo assembly's matter 1
		{func() string {
			return app.T("维修资金使用（依据业主大会表决）…", "a maintenance-fund repair, on the owners' vote…")
		}, demoRepair},
		// after every step that moves the service fund's bank account, before the lock
		{func() string {
			return app.T("现金每周存行、银行对账单导入与对账…", "weekly cash deposits, the bank statement imported and matched…")
		}, demoBankStatement},
		// settling locks the year, so no entry may be dated into it afterwards
		{func() string { return app.T("年度统结统算…", "the annual settlement…") }, demoSettle},
		{func() string {
			return app.T("一年的三方联席会议和权责清单…", "a year of joint meetings and the duty list…")
		}, demoMeetings},
	}
}

// builder is the state shared by the demo's steps.
type builder struct {
	Opts  Options
	Rand  *rand.Rand
	Units []app.Unit
	// now is the book's clock when the demo starts: every date of the history is
	// counted back from it.
	now time.Time
}

// today is the demo's date, YYYY-MM-DD.
func (d *builder) today() string { return d.now.Format(app.DateLayout) }

// Build fills an empty book with a realistic community: the register, then each
// capability's history.
func Build(ctx context.Context, s app.Services, o Options) (Result, error) {
	if o.Units <= 0 || o.Units > 20000 {
		return Result{}, app.Errorf(app.EINVALID, "示例房号数应在 1 到 20000 之间：没有生成任何内容", "demo units must be between 1 and 20000: nothing was made")
	}
	if o.Years < 0 || o.Years > 30 {
		return Result{}, app.Errorf(app.EINVALID, "示例年数应在 0 到 30 之间：没有生成任何内容", "demo years must be between 0 and 30: nothing was made")
	}
	// A demo writes about 600 bytes a unit a month and takes about a minute for 100,000
	// bills on a laptop: 20,000 units × 30 years would fill gigabytes for an hour.
	if o.Units*o.Years > maxUnitYears {
		return Result{}, app.Errorf(app.EINVALID, "示例太大：房号数 × 年数最多 %d（例如 20000 个房号 10 年）：没有生成任何内容；请减少房号或年数",
			"the demo is too big: units × years is at most %d (say 20,000 units for 10 years): nothing was made; use fewer units or years", maxUnitYears)
	}
	if o.Name == "" {
		o.Name = "阳光花园小区"
	}
	progress := func(step string) {
		if o.Progress != nil {
			o.Progress(step)
		}
	}
	d := &builder{Opts: o, Rand: rand.New(rand.NewPCG(uint64(o.Seed), 0x5eed)), now: time.Now()}
	if s.Now != nil {
		d.now = s.Now()
	}
	// The notice settings every notice for the board prints (docs/notices.md): without
	// them the demo's own notices would be refused.
	notices := app.NoticeSettings{
		OfficePhone:   "0519-8888 6666",
		OfficeAddress: "小区 1 号楼一楼物业服务中心",
		Inspection:    "每月第一个星期六 9:00–11:30，物业服务中心二楼会议室（凭身份证件和房产证明）",
		PayChannels:   "物业服务中心现金或刷卡；微信、支付宝扫码；银行转账至共管账户",
		PayAccount:    "户名 " + o.Name + "业主大会 开户行 示例银行阳光支行 账号 6222 0000 1111 2222",
	}
	if err := s.Book.Init(ctx, app.Community{Name: o.Name, Notices: notices}, "demo"); err != nil {
		return Result{}, err
	}
	progress(app.T("生成登记册…", "building the register…"))
	d.Units = Register(d.Rand, o.Units)
	if err := s.Register.ImportUnits(ctx, d.Units, "demo", "demo register"); err != nil {
		return Result{}, err
	}
	for _, st := range steps() {
		progress(st.name())
		if err := st.run(ctx, s, d); err != nil {
			return Result{}, err
		}
	}
	return Result{Name: o.Name, Units: len(d.Units)}, nil
}

var (
	demoSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	demoGiven    = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强志明海燕玉兰红梅晓东晓明春梅丹文斌宇浩鹏飞婷雪慧颖琳欣怡子轩梓涵")
)

func demoName(r *rand.Rand) string {
	n := 1 + r.IntN(2)
	s := string(demoSurnames[r.IntN(len(demoSurnames))])
	for i := 0; i < n; i++ {
		s += string(demoGiven[r.IntN(len(demoGiven))])
	}
	return s
}

// Register makes n units: residential towers (2 entrances, 4 rooms a floor), about 4%
// shops and 15% parking spaces; about 6% of owners hold a second unit (often a parking
// space), 10% of units are co-owned, and the developer still holds about 3% of the
// flats and shops and a third of the parking.
func Register(r *rand.Rand, n int) []app.Unit {
	nShops := n * 4 / 100
	nParking := n * 15 / 100
	nFlats := n - nShops - nParking
	units := make([]app.Unit, 0, n)
	owner := 0
	newOwner := func() (string, string) {
		owner++
		return fmt.Sprintf("O%05d", owner), demoName(r)
	}
	area := func(lo, hi int) decimal.Decimal {
		return decimal.New(int64(lo*100+r.IntN((hi-lo)*100)), -2)
	}
	for i := 0; i < nFlats; i++ {
		building, rest := i/144+1, i%144 // 2 entrances × 18 floors × 4 rooms
		entrance, rest := rest/72+1, rest%72
		floor, room := rest/4+1, rest%4+1
		u := app.Unit{ID: fmt.Sprintf("%d-%d-%d%02d", building, entrance, floor, room), Kind: app.KindResidential, Area: area(58, 143)}
		units = append(units, u)
	}
	for i := 0; i < nShops; i++ {
		units = append(units, app.Unit{ID: fmt.Sprintf("S-%03d", i+1), Kind: app.KindCommercial, Area: area(28, 210)})
	}
	for i := 0; i < nParking; i++ {
		units = append(units, app.Unit{ID: fmt.Sprintf("P-%04d", i+1), Kind: app.KindParking, Area: area(12, 16)})
	}
	var multi []app.Unit // owners who will get a second unit
	for i := range units {
		u := &units[i]
		devShare := 3
		if u.Kind == app.KindParking {
			devShare = 33
		}
		switch {
		case r.IntN(100) < devShare:
			u.DeveloperHeld, u.OwnerID, u.OwnerName = true, "DEV", "开发商（未售）"
		case u.Kind != app.KindResidential && len(multi) > 0 && r.IntN(100) < 40:
			o := multi[r.IntN(len(multi))]
			u.OwnerID, u.OwnerName = o.OwnerID, o.OwnerName
		case u.Kind == app.KindResidential && len(multi) > 0 && r.IntN(100) < 2:
			o := multi[r.IntN(len(multi))]
			u.OwnerID, u.OwnerName = o.OwnerID, o.OwnerName
		default:
			u.OwnerID, u.OwnerName = newOwner()
			if r.IntN(100) < 10 {
				u.OwnerName += "、" + demoName(r)
			}
			if u.Kind == app.KindResidential && r.IntN(100) < 6 {
				multi = append(multi, *u)
			}
		}
	}
	ensureOwnerMix(r, units)
	return units
}

// ensureOwnerMix makes sure a small register still shows each case the headcount rule
// is about, when it has the units for it (a draw of a few dozen units often misses
// one): a developer-held unit (from 2 units), one owner holding two units (from 3) and
// a co-owned unit (from 4 units).
func ensureOwnerMix(r *rand.Rand, units []app.Unit) {
	n := len(units)
	owned := func() map[string]int {
		c := map[string]int{}
		for _, u := range units {
			if !u.DeveloperHeld {
				c[u.OwnerID]++
			}
		}
		return c
	}
	dev := slices.ContainsFunc(units, func(u app.Unit) bool { return u.DeveloperHeld })
	if n >= 2 && !dev {
		u := &units[n-1] // the last parking space, or the last flat
		u.DeveloperHeld, u.OwnerID, u.OwnerName = true, "DEV", "开发商（未售）"
	}
	c := owned()
	multi := slices.ContainsFunc(units, func(u app.Unit) bool { return !u.DeveloperHeld && c[u.OwnerID] > 1 })
	if n >= 3 && !multi {
		// the first owner also holds the last unit the developer does not
		first, last := -1, -1
		for i, u := range units {
			if !u.DeveloperHeld {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first >= 0 && last > first {
			units[last].OwnerID, units[last].OwnerName = units[first].OwnerID, units[first].OwnerName
		}
	}
	c = owned()
	co := slices.ContainsFunc(units, func(u app.Unit) bool { return !u.DeveloperHeld && strings.Contains(u.OwnerName, "、") })
	if n >= 4 && !co {
		// a unit whose owner holds only it; else every unit of the first owner
		i := slices.IndexFunc(units, func(u app.Unit) bool { return !u.DeveloperHeld && c[u.OwnerID] == 1 })
		if i < 0 {
			i = slices.IndexFunc(units, func(u app.Unit) bool { return !u.DeveloperHeld })
		}
		if i >= 0 {
			id, name := units[i].OwnerID, units[i].OwnerName+"、"+demoName(r)
			for j := range units {
				if !units[j].DeveloperHeld && units[j].OwnerID == id {
					units[j].OwnerName = name
				}
			}
		}
	}
}
