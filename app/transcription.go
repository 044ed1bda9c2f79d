package app

import "sort"

// Two-person keying (双人录入) of paper forms: ballots and survey answer sheets are keyed
// twice, by two people working apart (entry A and entry B), and matched by the number
// printed on the paper. A paper is reconciled when both entries agree on every field, or
// when a third look at the paper was recorded (a resolution); only reconciled papers
// are counted. docs/votes.md and docs/survey.md describe how each uses it.

// PaperField is one keyed field of a paper: its name (as Difference.Field reports it)
// and its value as text.
type PaperField struct {
	Name  string
	Value string
}

// Transcription says how to read one kind of paper: its number, and its fields in the
// order differences are reported.
type Transcription[P any] struct {
	No     func(P) string
	Fields func(P) []PaperField
}

// Same reports whether two transcriptions of one paper agree on every field.
func (d Transcription[P]) Same(x, y P) bool {
	return d.No(x) == d.No(y) && len(d.diffs(x, y, false)) == 0
}

// Reconcile matches entries a and b by paper number; resolved holds what the third look
// found on a paper (it replaces both entries). It returns the reconciled papers (in
// paper-number order), every difference (resolved or not) and the numbers of the papers
// not reconciled.
func (d Transcription[P]) Reconcile(a, b, resolved []P) (final []P, diffs []Difference, unreconciled []string) {
	byA := make(map[string]P, len(a))
	byB := make(map[string]P, len(b))
	for _, x := range a {
		byA[d.No(x)] = x
	}
	for _, x := range b {
		byB[d.No(x)] = x
	}
	res := make(map[string]P, len(resolved))
	for _, r := range resolved {
		res[d.No(r)] = r
	}
	nos := make([]string, 0, len(byA)+len(byB))
	for no := range byA {
		nos = append(nos, no)
	}
	for no := range byB {
		if _, ok := byA[no]; !ok {
			nos = append(nos, no)
		}
	}
	sort.Slice(nos, func(i, j int) bool { return UnitLess(nos[i], nos[j]) })
	final = make([]P, 0, len(nos))
	for _, no := range nos {
		x, inA := byA[no]
		y, inB := byB[no]
		r, isResolved := res[no]
		switch {
		case !inA || !inB:
			df := Difference{Ballot: no, Field: "ballot_no", Resolved: isResolved}
			if inA {
				df.A = no
			} else {
				df.B = no
			}
			diffs = append(diffs, df)
		default:
			ds := d.diffs(x, y, isResolved)
			if len(ds) == 0 && !isResolved {
				final = append(final, x)
				continue
			}
			diffs = append(diffs, ds...)
		}
		if isResolved {
			final = append(final, r)
		} else {
			unreconciled = append(unreconciled, no)
		}
	}
	return final, diffs, unreconciled
}

// diffs lists the fields on which x and y differ, in x's order then the fields only y
// has (a field one side lacks is empty there).
func (d Transcription[P]) diffs(x, y P, resolved bool) []Difference {
	fx, fy := d.Fields(x), d.Fields(y)
	inY := make(map[string]string, len(fy))
	for _, f := range fy {
		inY[f.Name] = f.Value
	}
	var out []Difference
	add := func(name, a, b string) {
		if a != b {
			out = append(out, Difference{Ballot: d.No(x), Field: name, A: a, B: b, Resolved: resolved})
		}
	}
	inX := make(map[string]bool, len(fx))
	for _, f := range fx {
		inX[f.Name] = true
		add(f.Name, f.Value, inY[f.Name])
	}
	for _, f := range fy {
		if !inX[f.Name] {
			add(f.Name, "", f.Value)
		}
	}
	return out
}
