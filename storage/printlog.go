package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"sunledger/app"
)

// printlog.go keeps the print log of receipts (app.PrintService): append-only, one
// record per print, each with its audit record, so a reprint says 补打.

// RecordPrint appends a print of doc in one transaction with its audit record.
func (s PrintService) RecordPrint(ctx context.Context, doc, who string) (app.PrintRecord, error) {
	doc = strings.TrimSpace(doc)
	var rec app.PrintRecord
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		kind, id, ok := strings.Cut(doc, "/")
		if !ok || id == "" || strings.Contains(id, "/") || (kind != "receipt" && kind != "tally") {
			return app.Errorf(app.EINVALID, "打印记录里的单据名 %q 无效；没有记录", "%q is not a document the print log knows; nothing was recorded", doc)
		}
		if kind == "tally" {
			a, err := tx.assembly(id)
			if err != nil {
				return err
			}
			if day := app.StepTime(ctx, tx.now).Local().Format(app.DateLayout); day < a.Date {
				return app.Errorf(app.EINVALID, "表决 %s 于 %s 结束，结果公告不能早于该日（%s）；没有打印", "vote %s ends on %s: its result cannot be announced before that (%s); nothing was printed", id, a.Date, day)
			}
		} else if found, err := tx.has(paymentKey(id)); err != nil {
			return err
		} else if !found {
			return app.Errorf(app.ENOTFOUND, "没有收据 %s；没有打印", "there is no receipt %s; nothing was printed", id)
		}
		n, err := tx.next("print/" + doc)
		if err != nil {
			return err
		}
		rec = app.PrintRecord{Doc: doc, N: n, Who: who, At: app.StepTime(ctx, tx.now).UTC()}
		if err := tx.put(printKey(doc, n), rec); err != nil {
			return err
		}
		what := "第 " + strconv.FormatInt(n, 10) + " 次"
		return tx.audit(who, "print."+kind, id, what)
	})
	return rec, err
}

// Prints lists the prints of doc, oldest first.
func (s PrintService) Prints(ctx context.Context, doc string) ([]app.PrintRecord, error) {
	var out []app.PrintRecord
	err := s.db.view(func(tx *Tx) error {
		return eachJSON(tx, printKey(strings.TrimSpace(doc), -1), func(_ string, r app.PrintRecord) error {
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

func printKey(doc string, n int64) string {
	if n < 0 {
		return prefixPrint + doc + "/"
	}
	return fmt.Sprintf("%s%s/%08d", prefixPrint, doc, n)
}

// Reference numbers a public notice (app.PrintService): the mapping from the document to
// its number and the year's counter of its kind live under the print log's prefix.
func (s PrintService) Reference(ctx context.Context, kind string, year int, what, who string) (app.DocRef, error) {
	kind = strings.TrimSpace(kind)
	var ref app.DocRef
	if kind == "" || strings.Contains(kind, "/") || year < 1 || year > 9999 {
		return ref, app.Errorf(app.EINVALID, "文号的文件类型 %q 或年份 %d 无效；没有编号", "%q / %d is not a document kind and year to number; nothing was numbered", kind, year)
	}
	sum := sha256.Sum256([]byte(what))
	key := fmt.Sprintf("%sref/%s/%04d/%s", prefixPrint, kind, year, hex.EncodeToString(sum[:12]))
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if found, err := tx.get(key, &ref); err != nil || found {
			return err
		}
		n, err := tx.next(fmt.Sprintf("print/ref/%s/%04d", kind, year))
		if err != nil {
			return err
		}
		ref = app.DocRef{Kind: kind, Year: year, N: n, What: what, Who: who, At: app.StepTime(ctx, tx.now).UTC()}
		if err := tx.put(key, ref); err != nil {
			return err
		}
		return tx.audit(who, "print.ref", kind, fmt.Sprintf("%04d 年第 %d 号", year, n))
	})
	return ref, err
}
