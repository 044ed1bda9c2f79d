package storage

import (
	"testing"

	"sunledger/app"
)

func TestMember_VerifyPassphraseRefusalAuditedNothingElseWritten(t *testing.T) {
	db := chainBook(t)
	if err := db.memberService().VerifyPassphrase(ctx, "张主任", pw("张主任")); err != nil {
		t.Fatalf("right passphrase: %v", err)
	}
	if err := db.memberService().VerifyPassphrase(ctx, "张主任", "nope"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if r := lastAudit(t, db); r.Action != "member.signin.refused" || r.Who != "张主任" {
		t.Errorf("audit %+v", r)
	}
	if err := db.memberService().VerifyPassphrase(ctx, "nobody", "x"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("unknown member: %v", err)
	}
}
