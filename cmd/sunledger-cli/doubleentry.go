package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"sunledger/app"
)

// The commands over the double entry of paper forms (vote and survey enter, diff,
// resolve) share these pieces.

// printDiffs prints the differences between entries A and B, one row each: the paper
// number (column noTitle), the field (label names it), both values (value shows them)
// and whether the third look resolved it.
func printDiffs(e *env, noTitle string, diffs []app.Difference, label func(field string) string, value func(field, v string) string) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
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
