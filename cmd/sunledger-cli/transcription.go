package main

import (
	"flag"
	"fmt"
	"strings"

	"sunledger/app"
	"sunledger/sheet"
)

// The commands over the two-person keying of paper forms (vote and survey enter, diff,
// resolve) share these pieces.

// printDiffs prints the differences between entries A and B, one row each: the paper
// number (column noTitle), the field (label names it), both values (value shows them)
// and whether the third look resolved it.
func printDiffs(e *env, noTitle string, diffs []app.Difference, label func(field string) string, value func(field, v string) string) error {
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, noTitle+app.T("\t项目\t录入A\t录入B\t已核对", "\tfield\tentry A\tentry B\tresolved"))
	for _, d := range diffs {
		res := ""
		if d.Resolved {
			res = app.T("是", "yes")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Ballot, label(d.Field), show(value(d.Field, d.A)), show(value(d.Field, d.B)), res)
	}
	return tw.Flush()
}

// pickPaper finds paper no in entry A or B as the start of a third look: from "A" or
// "B" names the entry, "" takes A if it has the paper, else B. what names the paper's
// number in messages (票号 / ballot).
func pickPaper[P any](a, b []P, no func(P) string, want, from string, what [2]string) (P, error) {
	find := func(ps []P) (P, bool) {
		for _, p := range ps {
			if no(p) == want {
				return p, true
			}
		}
		var zero P
		return zero, false
	}
	pa, inA := find(a)
	pb, inB := find(b)
	var zero P
	switch strings.ToUpper(from) {
	case "A":
		if !inA {
			return zero, app.Errorf(app.ENOTFOUND, "录入A里没有%[1]s %[3]s", "entry A has no %[2]s %[3]s", what[0], what[1], want)
		}
		return pa, nil
	case "B":
		if !inB {
			return zero, app.Errorf(app.ENOTFOUND, "录入B里没有%[1]s %[3]s", "entry B has no %[2]s %[3]s", what[0], what[1], want)
		}
		return pb, nil
	case "":
		switch {
		case inA:
			return pa, nil
		case inB:
			return pb, nil
		}
		return zero, app.Errorf(app.ENOTFOUND, "录入A和录入B里都没有%[1]s %[3]s", "neither entry A nor entry B has %[2]s %[3]s", what[0], what[1], want)
	}
	return zero, usageError("--from 只能是 A 或 B", "--from must be A or B")
}

// thirdLook are the flags every third look at a paper takes besides its answers: the
// form (--vote or --survey), the paper number, the entry to start from, the unit and
// validity as on the paper, what the paper showed and who looked.
type thirdLook struct {
	id, no, from, unit, invalid, note, as *string
	valid                                 *bool
	idFlag, noFlag                        string
}

func addThirdLook(fs *flag.FlagSet, idFlag, noFlag string) thirdLook {
	return thirdLook{
		id: fs.String(idFlag, "", idFlag+" id"), no: fs.String(noFlag, "", noFlag+" number"),
		from:    fs.String("from", "", "start from entry A or B"),
		unit:    fs.String("unit", "", "unit as on the paper"),
		invalid: fs.String("invalid", "", "invalid reason"),
		valid:   fs.Bool("valid", false, "the paper is valid (clears an invalid reason)"),
		note:    fs.String("note", "", "what the paper showed"),
		as:      asFlag(fs),
		idFlag:  idFlag, noFlag: noFlag,
	}
}

// parse reads the flags and checks that the form and paper are named and that --valid
// and --invalid are not both given.
func (l thirdLook) parse(fs *flag.FlagSet, args []string) error {
	if err := parseStrict(fs, args, l.idFlag, l.noFlag); err != nil {
		return err
	}
	if *l.valid && *l.invalid != "" {
		return usageError("--valid 与 --invalid 不能同时使用", "--valid and --invalid exclude each other")
	}
	return nil
}

// apply sets the unit and the invalid reason as the flags say, and returns the paper's
// state in words (有效 / 无效（原因）).
func (l thirdLook) apply(unit *string, invalid *app.InvalidReason) string {
	if *l.unit != "" {
		*unit = *l.unit
	}
	if *l.invalid != "" {
		*invalid = app.InvalidReason(*l.invalid)
	}
	if *l.valid {
		*invalid = ""
	}
	if *invalid != "" {
		return app.T("无效（", "invalid (") + app.ReasonLabel(app.NormalizeReason(string(*invalid))) + app.T("）", ")")
	}
	return app.T("有效", "valid")
}

// enterArgs are `vote enter` / `survey enter`: --vote|--survey ID --entry A|B FILE
// [--replace], read from args, with the file's rows.
type enterArgs struct {
	id, entry string
	replace   bool
	who       string
	keyer     string // --as: the person keying by name, held to one entry (docs/votes.md)
	rows      [][]string
}

func parseEnter(name, idFlag string, args []string) (enterArgs, error) {
	fs := newFlags(name)
	id := fs.String(idFlag, "", idFlag+" id")
	entry := fs.String("entry", "", "A or B")
	replace := fs.Bool("replace", false, "replace the whole entry")
	as := asFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return enterArgs{}, err
	}
	if err := need(idFlag, *id); err != nil {
		return enterArgs{}, err
	}
	if err := need("entry", *entry); err != nil {
		return enterArgs{}, err
	}
	if len(pos) != 1 {
		return enterArgs{}, usageError("用法：%[1]s --%[2]s 编号 --entry A|B 文件", "usage: %[1]s --%[2]s ID --entry A|B FILE", name, idFlag)
	}
	ent := strings.ToUpper(strings.TrimSpace(*entry))
	if ent != app.EntryA && ent != app.EntryB {
		return enterArgs{}, usageError("--entry 只能是 A 或 B", "--entry must be A or B")
	}
	rows, err := sheet.Read(pos[0])
	return enterArgs{id: *id, entry: ent, replace: *replace, who: who(*as), keyer: *as, rows: rows}, err
}

// entered prints how many papers were entered and how many the entry holds now.
func entered(e *env, ea enterArgs, n int, a, b int, what [2]string) {
	if ea.entry == app.EntryB {
		a = b
	}
	fmt.Fprintf(e.stdout, app.T("录入%[1]s：已录入 %[2]d %[4]s，该录入共 %[3]d %[4]s\n", "entry %[1]s: entered %[2]d %[5]s, %[3]d in the entry\n"), ea.entry, n, a, what[0], what[1])
}
