package app

import "strings"

// auditActions names each audit-log action (AuditRecord.Action) in the committee's words.
// The log keeps the machine code, which scripts and the snapshot's audit.csv read; the
// window and printed lists show the label (ActionLabel).
var auditActions = map[string][2]string{
	"bank":                      {"银行对账", "Bank"},
	"bank.import":               {"导入银行对账单", "Bank statement imported"},
	"bank.match":                {"确认对账", "Statement line matched"},
	"bank.unmatch":              {"撤销对账", "Statement match undone"},
	"bank.post":                 {"按对账单记账", "Entry posted from the statement"},
	"book.id":                   {"账本编号", "Book id"},
	"cash.days":                 {"现金存入期限", "Cash deposit days"},
	"ledger.lock.override":      {"锁定期间（说明差额）", "Period locked over a difference"},
	"maintenance":               {"维修资金", "Maintenance fund"},
	"maintenance.opening":       {"维修资金期初余额", "Maintenance fund opening"},
	"print.ref":                 {"公示文号", "Notice number"},
	"publish.checkpoint":        {"发布检查点", "Checkpoint published"},
	"records.tree":              {"建立记录树", "Record tree built"},
	"book.committed.missing":    {"COMMITTED 文件缺失（已重建）", "COMMITTED file missing (made again)"},
	"book":                      {"账本", "Book"},
	"book.init":                 {"建立账本", "Book created"},
	"book.settings":             {"修改设置", "Settings changed"},
	"book.encrypt":              {"加密账本", "Book encrypted"},
	"backup":                    {"备份", "Backup"},
	"backup.restore":            {"从备份恢复", "Restored from a backup"},
	"keyslot":                   {"数据密钥", "Data key"},
	"keyslot.remove":            {"移除密钥槽", "Key slot removed"},
	"keyslot.rotate":            {"更换数据密钥", "Data key changed"},
	"records":                   {"记录日志", "Record log"},
	"records.baseline":          {"记录日志起点", "Record log baseline"},
	"publish":                   {"公开", "Publication"},
	"publish.head":              {"公开链头", "Head published"},
	"print":                     {"打印", "Printed"},
	"print.receipt":             {"打印收据", "Receipt printed"},
	"units":                     {"登记册", "Register"},
	"units.import":              {"导入登记册", "Register imported"},
	"fees":                      {"物业费", "Fees"},
	"fees.bill":                 {"开具账单", "Bills issued"},
	"fees.bill.part":            {"开具账单（部分）", "Bills issued (part)"},
	"fees.pay":                  {"收款", "Payment"},
	"fees.price":                {"设置单价", "Price set"},
	"fees.latefee":              {"滞纳金规则", "Late-fee rule"},
	"income":                    {"公共收益", "Public income"},
	"income.add":                {"记录公共收益", "Public income recorded"},
	"cash":                      {"现金", "Cash"},
	"cash.deposit":              {"现金存入银行", "Cash deposited"},
	"cash.limit":                {"现金限额", "Cash limit"},
	"ledger":                    {"记账凭证", "Journal"},
	"ledger.post":               {"记账", "Entry posted"},
	"ledger.reverse":            {"冲销凭证", "Entry reversed"},
	"ledger.lock":               {"锁定期间", "Period locked"},
	"ledger.account.add":        {"新增科目", "Account added"},
	"expense":                   {"支出审批", "Expense"},
	"expense.apply":             {"支出申请", "Expense applied for"},
	"expense.approve":           {"委员联签", "Committee signature"},
	"expense.review":            {"社区复核", "Community review"},
	"expense.pay":               {"支付", "Paid"},
	"expense.reject":            {"驳回申请", "Request rejected"},
	"expense.rules":             {"审批规则", "Approval rules"},
	"member":                    {"成员", "Roster"},
	"member.add":                {"新增成员", "Member added"},
	"member.approve":            {"签署成员变更", "Roster change signed"},
	"member.request":            {"成员变更申请", "Roster change requested"},
	"member.remove":             {"移除成员", "Member removed"},
	"member.role":               {"变更角色", "Role changed"},
	"member.seal":               {"封存创始名单", "Founding roster sealed"},
	"member.passphrase":         {"更换口令", "Passphrase changed"},
	"member.signin":             {"登录", "Signed in"},
	"budget":                    {"预算", "Budget"},
	"budget.line":               {"预算项目", "Budget line"},
	"budget.approve":            {"批准预算", "Budget approved"},
	"settlement":                {"年度统结统算", "Annual settlement"},
	"settlement.settle":         {"年度结算", "Year settled"},
	"settlement.microfund":      {"转入业主微基金", "Micro-fund share moved"},
	"settlement.audit":          {"登记年度审计", "Annual audit recorded"},
	"settlement.microfund-base": {"微基金转入基数", "Micro-fund base"},
	"microfund":                 {"业主微基金", "Micro-fund"},
	"microfund.propose":         {"微基金项目提议", "Micro-fund project proposed"},
	"microfund.approve":         {"委员批准微基金项目", "Micro-fund project approved"},
	"microfund.reject":          {"驳回微基金项目", "Micro-fund project rejected"},
	"microfund.publish":         {"公示微基金项目", "Micro-fund project posted"},
	"microfund.spend":           {"微基金项目列支", "Micro-fund project charged"},
	"microfund.report":          {"微基金项目完成报告", "Micro-fund project reported"},
	"remuneration":              {"酬金", "Remuneration"},
	"remuneration.accrue":       {"计提酬金", "Remuneration accrued"},
	"remuneration.contract":     {"酬金约定", "Remuneration contract"},
	"remuneration.assessment":   {"服务考评", "Service assessment"},
	"remuneration.weights":      {"考评权重", "Assessment weights"},
	"vote":                      {"表决", "Vote"},
	"vote.new":                  {"新建业主大会", "Assembly created"},
	"vote.enter":                {"录入选票", "Ballots keyed"},
	"vote.enter.replace":        {"重新录入选票", "Ballots re-keyed"},
	"vote.unenter":              {"撤回选票", "Ballot taken back"},
	"vote.resolve":              {"核对原票", "Paper ballot checked"},
	"vote.rule":                 {"核定人数归属", "Head ruled"},
	"vote.deliver":              {"送达选票", "Ballot delivered"},
	"vote.settings":             {"表决规则", "Vote settings"},
	"survey":                    {"满意度调查", "Survey"},
	"survey.new":                {"新建调查", "Survey created"},
	"survey.enter":              {"录入问卷", "Answers keyed"},
	"survey.resolve":            {"核对问卷", "Answer sheet checked"},
	"service":                   {"报修投诉", "Service"},
	"service.new":               {"登记报修", "Request registered"},
	"service.step":              {"办理进度", "Step recorded"},
	"service.standard":          {"响应标准", "Response standard"},
	"service.import":            {"导入报修", "Requests imported"},
	"service.assign":            {"指派经办人", "Handler named"},
	"service.note":              {"报修备注", "Request note"},
	"service.reopen":            {"重新打开报修", "Request reopened"},
	"service.escalate":          {"提交联席会议", "Request escalated"},
	"service.signoff":           {"业主签字确认", "Signed off by the owner"},
	"meeting":                   {"联席会议", "Joint meeting"},
	"meeting.new":               {"新建会议", "Meeting recorded"},
	"meeting.decide":            {"会议决议", "Decision recorded"},
	"meeting.follow":            {"决议跟进", "Follow-up recorded"},
	"meeting.duties":            {"三方权责清单", "Duty list"},
	"meeting.import":            {"导入会议", "Meetings imported"},
}

// ActionLabel is an audit action in the reader's language: the label of the action, or
// of its nearest known parent ("expense.approve.refused" → 委员联签（被拒绝）), and the
// code itself only for an action nobody has named yet.
func ActionLabel(action string) string {
	refused := strings.HasSuffix(action, ".refused")
	a := strings.TrimSuffix(action, ".refused")
	for a != "" {
		if l, ok := auditActions[a]; ok {
			s := T(l[0], l[1])
			if refused {
				s += T("（被拒绝）", " (refused)")
			}
			return s
		}
		i := strings.LastIndexByte(a, '.')
		if i < 0 {
			break
		}
		a = a[:i]
	}
	return action
}
