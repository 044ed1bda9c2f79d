package main

import (
	"encoding/base64"
	"flag"
	"fmt"
	"text/tabwriter"

	"sunledger/app"
)

func init() {
	register("members add", "--name NAME --role chair|treasurer|member|reviewer|clerk [--passphrase-file F]   "+app.T("添加业委会成员、社区复核人或物业经办人（口令也可由 SUNLEDGER_PASSPHRASE 给出）", "add a committee member, community reviewer or property-company clerk (passphrase also from SUNLEDGER_PASSPHRASE)"), membersAdd)
	register("members list", "[--json]   "+app.T("成员及其公钥", "members and their public keys"), membersList)
	register("members passphrase", "--name NAME [--passphrase-file OLD] --new-passphrase-file NEW   "+app.T("修改成员口令（旧口令也可由 SUNLEDGER_PASSPHRASE、新口令由 SUNLEDGER_NEW_PASSPHRASE 给出）", "change a member's passphrase (old one also from SUNLEDGER_PASSPHRASE, new one from SUNLEDGER_NEW_PASSPHRASE)"), membersPassphrase)
}

func membersAdd(e *env, args []string) error {
	fs := flag.NewFlagSet("members add", flag.ContinueOnError)
	name := fs.String("name", "", "name")
	role := fs.String("role", "", "chair|treasurer|member|reviewer|clerk")
	pf := fs.String("passphrase-file", "", "file holding the passphrase")
	as := fs.String("as", "", "operator")
	why := fs.String("why", "", "note")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := need("name", *name); err != nil {
		return err
	}
	if err := need("role", *role); err != nil {
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
	if err := db.AddMember(e.ctx, m, who(*as), *why); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("公钥 %s\n已添加成员：%s %s\n", "public key %s\nmember added: %s %s\n"), base64.StdEncoding.EncodeToString(m.PublicKey), r.Label(), m.Name)
	return nil
}

func membersList(e *env, args []string) error {
	fs := flag.NewFlagSet("members list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "JSON output")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := e.book()
	if err != nil {
		return err
	}
	ms, err := db.Members(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			Name      string `json:"name"`
			Role      string `json:"role"`
			PublicKey string `json:"public_key"`
			Created   string `json:"created"`
		}
		out := make([]row, 0, len(ms))
		for _, m := range ms {
			out = append(out, row{m.Name, string(m.Role), base64.StdEncoding.EncodeToString(m.PublicKey), m.Created.Format("2006-01-02T15:04:05Z07:00")})
		}
		return printJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, app.T("姓名\t角色\t公钥（Ed25519）\t添加日期", "name\trole\tpublic key (Ed25519)\tadded"))
	for _, m := range ms {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, m.Role.Label(), base64.StdEncoding.EncodeToString(m.PublicKey), m.Created.Local().Format("2006-01-02"))
	}
	return tw.Flush()
}

func membersPassphrase(e *env, args []string) error {
	fs := flag.NewFlagSet("members passphrase", flag.ContinueOnError)
	name := fs.String("name", "", "name")
	pf := fs.String("passphrase-file", "", "file holding the current passphrase")
	nf := fs.String("new-passphrase-file", "", "file holding the new passphrase")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := need("name", *name); err != nil {
		return err
	}
	old, err := memberPassphrase(*pf, "SUNLEDGER_PASSPHRASE", true)
	if err != nil {
		return err
	}
	nw, err := memberPassphrase(*nf, "SUNLEDGER_NEW_PASSPHRASE", true)
	if err != nil {
		return err
	}
	db, err := e.book()
	if err != nil {
		return err
	}
	if err := db.ChangePassphrase(e.ctx, *name, old, nw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已修改 %s 的口令\n", "passphrase of %s changed\n"), *name)
	return nil
}
