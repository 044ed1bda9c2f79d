package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"sunledger/app"
)

func init() {
	register("members add", "--name NAME --role chair|treasurer|member|reviewer|clerk [--passphrase-file F]   "+app.T("添加业委会成员、社区复核人或物业经办人（口令也可由 SUNLEDGER_PASSPHRASE 给出）", "add a committee member, community reviewer or property-company clerk (passphrase also from SUNLEDGER_PASSPHRASE)"), membersAdd)
	register("members list", "[--json]   "+app.T("成员及其公钥，以及待签的成员变更", "members and their public keys, and pending roster changes"), membersList)
	register("members seal", "[--as NAME] [--why W]   "+app.T("封存创始成员名单：此后的成员变更需两位委员签字（第一份支出申请也会自动封存）", "seal the founding roster: later changes need two committee signatures (the first expense request seals it too)"), membersSeal)
	register("members remove", "--name NAME --reason R [--as NAME]   "+app.T("移除成员（名单封存后为待签的变更申请，输出编号）", "remove a member (once the roster is sealed, a roster change to sign; prints its id)"), membersRemove)
	register("members role", "--name NAME --role chair|treasurer|member|reviewer|clerk [--why W] [--as NAME]   "+app.T("变更成员角色（名单封存后为待签的变更申请，输出编号）", "change a member's role (once the roster is sealed, a roster change to sign; prints its id)"), membersRole)
	register("members approve", "--as NAME --id ID [--passphrase-file F]   "+app.T("为待签的成员变更签字（需两位其他委员；涉及社区复核人角色时复核人也要签）", "sign a pending roster change (two other committee members; the reviewer too for the reviewer role)"), membersApprove)
	register("members requests", "[--json]   "+app.T("全部成员变更申请及其签名", "every roster change and its signatures"), membersRequests)
	register("members passphrase", "--name NAME [--passphrase-file OLD] --new-passphrase-file NEW   "+app.T("修改成员口令（旧口令也可由 SUNLEDGER_PASSPHRASE、新口令由 SUNLEDGER_NEW_PASSPHRASE 给出）", "change a member's passphrase (old one also from SUNLEDGER_PASSPHRASE, new one from SUNLEDGER_NEW_PASSPHRASE)"), membersPassphrase)
}

func membersAdd(e *env, args []string) error {
	fs := newFlags("members add")
	name := fs.String("name", "", "name")
	role := fs.String("role", "", "chair|treasurer|member|reviewer|clerk")
	pf := fs.String("passphrase-file", "", "file holding the passphrase")
	as := asFlag(fs)
	why := whyFlag(fs)
	if err := parseStrict(fs, args, "name", "role"); err != nil {
		return err
	}
	r, err := app.ParseRole(*role)
	if err != nil {
		return err
	}
	pass, err := memberPassphrase(*pf, "SUNLEDGER_PASSPHRASE", true)
	if err != nil {
		return err
	}
	db, err := e.book()
	if err != nil {
		return err
	}
	m, err := app.NewMember(*name, r, pass, nil)
	if err != nil {
		return err
	}
	c, err := db.Services().Members.AddMember(e.ctx, m, who(*as), *why)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("公钥 %s\n", "public key %s\n"), base64.StdEncoding.EncodeToString(m.PublicKey))
	if err := addKeySlot(e, db, m.Name, pass); err != nil { // encrypted books: encrypt.go
		return err
	}
	if c.ID != "" {
		return printFiled(e, db.Services().Members, c)
	}
	fmt.Fprintf(e.stdout, app.T("已添加成员：%s %s\n", "member added: %s %s\n"), r.Label(), m.Name)
	return nil
}

// printFiled reports a roster change waiting for signatures; its id is the last word.
func printFiled(e *env, db rosterBook, c app.RosterChange) error {
	ms, err := db.Members(e.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("成员名单已封存：%s 需要%s才生效（members approve --as 姓名 --id %s）\n已提交成员变更申请 %s\n",
		"the roster is sealed: %s takes effect once %s (members approve --as NAME --id %s)\nroster change filed: %s\n"),
		c.Describe(), needsText(c, ms), c.ID, c.ID)
	return nil
}

type rosterBook interface {
	Members(ctx context.Context) ([]app.Member, error)
}

// needsText says what signatures a change still needs.
func needsText(c app.RosterChange, ms []app.Member) string {
	n, rev := c.RosterNeeds(app.ActiveRoles(ms))
	var parts []string
	if n > 0 {
		parts = append(parts, fmt.Sprintf(app.T("再有 %d 位委员（%s 本人以外）签字", "%d more committee members other than %s have signed"), n, c.Name))
	}
	if rev {
		parts = append(parts, app.T("社区复核人签字", "the community reviewer has signed"))
	}
	if len(parts) == 0 {
		return app.T("无需更多签字", "no more signatures are needed")
	}
	return strings.Join(parts, app.T("，并且", " and "))
}

func membersSeal(e *env, args []string) error {
	fs := newFlags("members seal")
	as := asFlag(fs)
	why := whyFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	s, err := svc.Members.SealRoster(e.ctx, who(*as), *why)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已封存创始成员名单（%d 人），此后添加、移除成员或变更角色需两位委员签字\n名单哈希 %s\n", "the founding roster (%d members) is sealed: adding or removing a member or changing a role now needs two committee signatures\nroster hash %s\n"), s.Members, s.Hash)
	return nil
}

func membersRemove(e *env, args []string) error {
	fs := newFlags("members remove")
	name := fs.String("name", "", "name")
	reason := fs.String("reason", "", "reason")
	as := asFlag(fs)
	if err := parseStrict(fs, args, "name", "reason"); err != nil {
		return err
	}
	db, err := e.book()
	if err != nil {
		return err
	}
	// An encrypted book: the slot file says first that the key must change once the
	// removal is done, so a kill between the two is finished by the next command.
	if err := db.MarkKeySlotRemoval(e.ctx, *name); err != nil {
		return err
	}
	c, err := db.Services().Members.RemoveMember(e.ctx, *name, who(*as), *reason)
	if err != nil || c.ID != "" {
		if uerr := db.UnmarkKeySlotRemoval(e.ctx, *name); err == nil {
			err = uerr
		}
	}
	if err != nil {
		return err
	}
	if c.ID != "" {
		return printFiled(e, db.Services().Members, c)
	}
	fmt.Fprintf(e.stdout, app.T("已移除成员（名单尚未封存）：%s\n", "member removed (the roster is not sealed yet): %s\n"), *name)
	return syncKeySlots(e, db, who(*as), *name)
}

func membersRole(e *env, args []string) error {
	fs := newFlags("members role")
	name := fs.String("name", "", "name")
	role := fs.String("role", "", "chair|treasurer|member|reviewer|clerk")
	why := whyFlag(fs)
	as := asFlag(fs)
	if err := parseStrict(fs, args, "name", "role"); err != nil {
		return err
	}
	r, err := app.ParseRole(*role)
	if err != nil {
		return err
	}
	db, err := e.book()
	if err != nil {
		return err
	}
	c, err := db.Services().Members.ChangeRole(e.ctx, *name, r, who(*as), *why)
	if err != nil {
		return err
	}
	if c.ID != "" {
		return printFiled(e, db.Services().Members, c)
	}
	fmt.Fprintf(e.stdout, app.T("已变更角色（名单尚未封存）：%s %s\n", "role changed (the roster is not sealed yet): %s %s\n"), r.Label(), *name)
	return nil
}

func membersApprove(e *env, args []string) error {
	fs := newFlags("members approve")
	sf := addSignerFlags(fs, "roster change id")
	if err := sf.parse(fs, args); err != nil {
		return err
	}
	as, id := sf.as, sf.id
	pass, err := sf.passphrase()
	if err != nil {
		return err
	}
	db, err := e.book()
	if err != nil {
		return err
	}
	c, err := db.Services().Members.ApproveRosterChange(e.ctx, *id, *as, pass)
	if err != nil {
		return err
	}
	if c.State == app.RosterDone {
		// An encrypted book drops a removed member's key slot and changes its key first,
		// so that the change's id stays the last word of the output.
		err := syncKeySlots(e, db, lastSigner(c))
		fmt.Fprintf(e.stdout, app.T("%s 已签字；成员变更已生效：%s %s\n", "%s signed; the roster change took effect: %s %s\n"), *as, c.Describe(), c.ID)
		return err
	}
	ms, err := db.Services().Members.Members(e.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("%s 已签字；%s 还需要%s %s\n", "%s signed; %s takes effect once %s %s\n"), *as, c.Describe(), needsText(c, ms), c.ID)
	return nil
}

// rosterChangeJSON is a roster change as `members requests --json` prints it.
type rosterChangeJSON struct {
	ID         string    `json:"id"`
	Action     string    `json:"action"`
	Name       string    `json:"name"`
	Role       string    `json:"role,omitempty"`
	From       string    `json:"from,omitempty"`
	PublicKey  string    `json:"public_key"`
	Reason     string    `json:"reason,omitempty"`
	Requested  string    `json:"requested"`
	By         string    `json:"by,omitempty"`
	State      string    `json:"state"`
	Done       string    `json:"done,omitempty"`
	Signatures []sigJSON `json:"signatures"`
}

func rosterJSON(c app.RosterChange) rosterChangeJSON {
	j := rosterChangeJSON{ID: c.ID, Action: string(c.Action), Name: c.Name, Role: string(c.Role), From: string(c.From),
		PublicKey: base64.StdEncoding.EncodeToString(c.PublicKey), Reason: c.Reason, Requested: c.Requested.Format(time.RFC3339),
		By: c.By, State: c.State, Signatures: []sigJSON{}}
	if c.State == app.RosterDone {
		j.Done = c.Done.Format(time.RFC3339)
	}
	for _, s := range c.Signatures {
		j.Signatures = append(j.Signatures, sigJSON{Step: "approve", Signer: s.Signer, Role: string(s.Role), At: s.At.Format(time.RFC3339), Signature: base64.StdEncoding.EncodeToString(s.Sig)})
	}
	return j
}

func membersRequests(e *env, args []string) error {
	fs := newFlags("members requests")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	cs, err := svc.Members.RosterChanges(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]rosterChangeJSON, 0, len(cs))
		for _, c := range cs {
			out = append(out, rosterJSON(c))
		}
		return printJSON(e.stdout, out)
	}
	ms, err := svc.Members.Members(e.ctx)
	if err != nil {
		return err
	}
	return printChanges(e, cs, ms, false)
}

func printChanges(e *env, cs []app.RosterChange, ms []app.Member, pendingOnly bool) error {
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, app.T("编号\t变更\t状态\t已签\t提交时间", "id\tchange\tstate\tsigned by\tfiled"))
	for _, c := range cs {
		if pendingOnly && c.State != app.RosterPending {
			continue
		}
		state := app.T("已生效 ", "in effect ") + c.Done.Local().Format(app.DateLayout)
		if c.State == app.RosterPending {
			state = app.T("待签：", "pending: ") + needsText(c, ms)
		}
		var signers []string
		for _, s := range c.Signatures {
			signers = append(signers, s.Signer)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Describe(), state, strings.Join(signers, "、"), c.Requested.Local().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

func membersList(e *env, args []string) error {
	fs := newFlags("members list")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	ms, err := svc.Members.Members(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			Name      string `json:"name"`
			Role      string `json:"role"`
			PublicKey string `json:"public_key"`
			Created   string `json:"created"`
			State     string `json:"state"`             // "active" or "removed"
			Request   string `json:"request,omitempty"` // the roster change that admitted them
			Removed   string `json:"removed,omitempty"` // the roster change that removed them
		}
		out := make([]row, 0, len(ms))
		for _, m := range ms {
			st := "active"
			if !m.Active() {
				st = "removed"
			}
			out = append(out, row{m.Name, string(m.Role), base64.StdEncoding.EncodeToString(m.PublicKey), m.Created.Format("2006-01-02T15:04:05Z07:00"), st, m.Request, m.Removed})
		}
		return printJSON(e.stdout, out)
	}
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, app.T("姓名\t角色\t公钥（Ed25519）\t添加日期", "name\trole\tpublic key (Ed25519)\tadded"))
	for _, m := range ms {
		role := m.Role.Label()
		if !m.Active() {
			role += app.T("（已移出，", " (removed, ") + m.Removed + app.T("）", ")")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, role, base64.StdEncoding.EncodeToString(m.PublicKey), m.Created.Local().Format(app.DateLayout))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	seal, sealed, err := svc.Members.RosterSeal(e.ctx)
	if err != nil {
		return err
	}
	if !sealed {
		fmt.Fprintln(e.stdout, app.T("创始成员名单尚未封存（members seal，或第一份支出申请时自动封存）", "the founding roster is not sealed yet (members seal, or the first expense request seals it)"))
		return nil
	}
	fmt.Fprintf(e.stdout, app.T("创始成员名单已于 %s 封存（哈希 %s）\n", "the founding roster was sealed on %s (hash %s)\n"), seal.At.Local().Format("2006-01-02 15:04"), seal.Hash)
	cs, err := svc.Members.RosterChanges(e.ctx)
	if err != nil {
		return err
	}
	pending := 0
	for _, c := range cs {
		if c.State == app.RosterPending {
			pending++
		}
	}
	if pending == 0 {
		return nil
	}
	fmt.Fprintf(e.stdout, app.T("\n待签的成员变更（%d）：\n", "\npending roster changes (%d):\n"), pending)
	return printChanges(e, cs, ms, true)
}

func membersPassphrase(e *env, args []string) error {
	fs := newFlags("members passphrase")
	name := fs.String("name", "", "name")
	pf := fs.String("passphrase-file", "", "file holding the current passphrase")
	nf := fs.String("new-passphrase-file", "", "file holding the new passphrase")
	if err := parseStrict(fs, args, "name"); err != nil {
		return err
	}
	old, err := memberPassphrase(*pf, "SUNLEDGER_PASSPHRASE", true)
	if err != nil {
		return err
	}
	awaitPassphraseTurn()
	nw, err := memberPassphrase(*nf, "SUNLEDGER_NEW_PASSPHRASE", true)
	if err != nil {
		return err
	}
	db, err := e.book()
	if err != nil {
		return err
	}
	if err := db.Services().Members.ChangePassphrase(e.ctx, *name, old, nw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已修改 %s 的口令\n", "passphrase of %s changed\n"), *name)
	return addKeySlot(e, db, *name, nw)
}

// lastSigner is who signed a roster change last (the one whose signature made it take effect).
func lastSigner(c app.RosterChange) string {
	if len(c.Signatures) == 0 {
		return who("")
	}
	return c.Signatures[len(c.Signatures)-1].Signer
}
