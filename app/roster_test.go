package app

import (
	"strings"
	"testing"
	"time"
)

func TestCanonicalRosterChange_IsStableText(t *testing.T) {
	c := RosterChange{ID: "M000001", Action: RosterAdd, Name: "刘委员", Role: RoleMember, PublicKey: make([]byte, 32),
		Reason: "补选", Requested: t0, By: "张主任", Roster: "f00d"}
	s := RosterSignature{Signer: "张主任", Role: RoleChair, At: t0.Add(time.Hour)}
	want := "sunledger-roster-change-v1\nid \"M000001\"\naction \"add\"\nname \"刘委员\"\nrole \"member\"\nfrom \"\"\nkey AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nreason \"补选\"\nrequested 2026-03-02T09:00:00Z\nby \"张主任\"\nroster \"f00d\"\nsigner \"张主任\"\nrole \"chair\"\nat 2026-03-02T10:00:00Z\n"
	if got := string(RosterSignatureMessage(c, s)); got != want {
		t.Errorf("canonical form changed:\n%s\nwant\n%s", got, want)
	}
}

func TestRosterNeeds_TwoOtherCommitteeMembersAndTheReviewerForTheReviewerRole(t *testing.T) {
	active := map[string]Role{"主任": RoleChair, "财务": RoleTreasurer, "委员": RoleMember, "复核": RoleReviewer, "经办": RoleClerk}
	sig := func(name string, role Role) RosterSignature { return RosterSignature{Signer: name, Role: role} }
	tests := []struct {
		name      string
		c         RosterChange
		committee int
		reviewer  bool
	}{
		{"nobody signed", RosterChange{Name: "新", Role: RoleMember}, 2, false},
		{"one committee member", RosterChange{Name: "新", Role: RoleMember, Signatures: []RosterSignature{sig("主任", RoleChair)}}, 1, false},
		{"two committee members", RosterChange{Name: "新", Role: RoleMember, Signatures: []RosterSignature{sig("主任", RoleChair), sig("委员", RoleMember)}}, 0, false},
		{"the same member twice counts once", RosterChange{Name: "新", Role: RoleMember, Signatures: []RosterSignature{sig("主任", RoleChair), sig("主任", RoleChair)}}, 1, false},
		{"the member concerned does not count", RosterChange{Name: "委员", Action: RosterRole, From: RoleMember, Role: RoleTreasurer, Signatures: []RosterSignature{sig("主任", RoleChair), sig("委员", RoleMember)}}, 1, false},
		{"a clerk's signature does not count", RosterChange{Name: "新", Role: RoleMember, Signatures: []RosterSignature{sig("主任", RoleChair), sig("经办", RoleClerk)}}, 1, false},
		{"a signature in a role no longer held does not count", RosterChange{Name: "新", Role: RoleMember, Signatures: []RosterSignature{sig("主任", RoleChair), sig("经办", RoleMember)}}, 1, false},
		{"someone off the roster does not count", RosterChange{Name: "新", Role: RoleMember, Signatures: []RosterSignature{sig("主任", RoleChair), sig("路人", RoleMember)}}, 1, false},
		{"a new reviewer needs the reviewer", RosterChange{Name: "新", Role: RoleReviewer, Signatures: []RosterSignature{sig("主任", RoleChair), sig("委员", RoleMember)}}, 0, true},
		{"a new reviewer with the reviewer's signature", RosterChange{Name: "新", Role: RoleReviewer, Signatures: []RosterSignature{sig("主任", RoleChair), sig("委员", RoleMember), sig("复核", RoleReviewer)}}, 0, false},
		{"removing the only reviewer needs no other reviewer", RosterChange{Name: "复核", Action: RosterRemove, From: RoleReviewer, Signatures: []RosterSignature{sig("主任", RoleChair), sig("委员", RoleMember)}}, 0, false},
	}
	for _, tc := range tests {
		n, rev := tc.c.RosterNeeds(active)
		if n != tc.committee || rev != tc.reviewer {
			t.Errorf("%s: needs %d committee, reviewer %v; want %d, %v", tc.name, n, rev, tc.committee, tc.reviewer)
		}
	}
}

func TestCheckRosterSigner_RefusesTheMemberConcernedAndOutsiders(t *testing.T) {
	c := RosterChange{ID: "M000001", Name: "新", Role: RoleMember, State: RosterPending, Signatures: []RosterSignature{{Signer: "主任", Role: RoleChair}}}
	tests := []struct {
		name, who string
		role      Role
		removed   string
		code      Code
	}{
		{"a committee member", "委员", RoleMember, "", ""},
		{"the newcomer", "新", RoleMember, "", EUNAUTHORIZED},
		{"the clerk", "经办", RoleClerk, "", EUNAUTHORIZED},
		{"the reviewer on a committee change", "复核", RoleReviewer, "", EUNAUTHORIZED},
		{"a second signature", "主任", RoleChair, "", ECONFLICT},
		{"a removed member", "旧", RoleMember, "M000000", EUNAUTHORIZED},
	}
	for _, tc := range tests {
		err := c.CheckRosterSigner(Member{Name: tc.who, Role: tc.role, Removed: tc.removed})
		if ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
		}
	}
	rc := c
	rc.Role = RoleReviewer
	if err := rc.CheckRosterSigner(Member{Name: "复核", Role: RoleReviewer}); err != nil {
		t.Errorf("the reviewer on a reviewer change: %v", err)
	}
	done := c
	done.State = RosterDone
	if err := done.CheckRosterSigner(Member{Name: "委员", Role: RoleMember}); ErrorCode(err) != ECONFLICT {
		t.Errorf("a change in effect: %v", err)
	}
}

func TestHeldRoleAt_FollowsTheHistory(t *testing.T) {
	t1, t2 := t0.Add(24*time.Hour), t0.Add(48*time.Hour)
	m := Member{Name: "李", Role: RoleMember, History: []RoleSpan{{Role: RoleTreasurer, Until: t1}, {Role: RoleMember, From: t1, Until: t2, Request: "M000002"}}, Removed: "M000003"}
	tests := []struct {
		role Role
		at   time.Time
		want bool
	}{
		{RoleTreasurer, t0, true},
		{RoleTreasurer, t1, true}, // the second of the change counts for both
		{RoleTreasurer, t1.Add(time.Second), false},
		{RoleMember, t0, false},
		{RoleMember, t1.Add(time.Hour), true},
		{RoleMember, t2.Add(time.Second), false}, // removed
	}
	for _, tc := range tests {
		if got := m.HeldRoleAt(tc.role, tc.at); got != tc.want {
			t.Errorf("HeldRoleAt(%s, %s) = %v", tc.role, tc.at, got)
		}
	}
	if f := (Member{Role: RoleChair}); !f.HeldRoleAt(RoleChair, t0) || f.HeldRoleAt(RoleMember, t0) {
		t.Error("a founding member never changed holds their role throughout")
	}
}

func TestVerifyRoster_UnsealedBookWithExpensesFails(t *testing.T) {
	err := VerifyRoster(nil, nil, nil, true)
	if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "封存") {
		t.Errorf("%v", err)
	}
	if err := VerifyRoster(nil, []Member{{Name: "a", Role: RoleChair}}, nil, false); err != nil {
		t.Errorf("an open roster: %v", err)
	}
}
