package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"sunledger/app"
)

// Tx is one read or read-write transaction over the book.
type Tx struct {
	txn *badger.Txn
	db  *DB
	now time.Time
	// rec collects what a read-write transaction writes, for the record log (recordlog.go).
	rec map[string]recordSum
}

func (db *DB) view(fn func(tx *Tx) error) (err error) {
	defer db.recoverDamage(&err)
	err = db.bdb.View(func(txn *badger.Txn) error { return fn(&Tx{txn: txn, db: db, now: db.Now()}) })
	return wrap(err)
}

// recoverDamage turns a panic while reading or writing the store (Badger's, or ours on a
// record that cannot be what it claims) into an error that names the damage; the
// transaction was not committed, so nothing changed.
func (db *DB) recoverDamage(err *error) {
	if r := recover(); r != nil {
		log.Printf("storage: panic: %v", r)
		*err = Damage(db.dir, r)
	}
}

// conflictDeadline bounds how long a write waits for others that touch the same
// records (two windows, a script and the window) before it gives up.
var conflictDeadline = 30 * time.Second

// update runs fn in one read-write transaction that commits whole or not at all.
// Badger reports a conflict when two writers touched the same keys; fn is retried then.
func (db *DB) update(fn func(tx *Tx) error) (err error) {
	if db.readOnly {
		return app.Errorf(app.EINVALID, "账本以只读方式打开，不能修改；没有做任何更改", "the book is open read-only and cannot be changed; nothing was changed")
	}
	if err := checkSpace(db.dir); err != nil { // a disk filling under Badger's maps kills the process (minFree)
		return err
	}
	defer db.recoverDamage(&err)
	start := time.Now()
	wait := 2 * time.Millisecond
	for {
		err := db.bdb.Update(func(txn *badger.Txn) error {
			tx := &Tx{txn: txn, db: db, now: db.Now(), rec: map[string]recordSum{}}
			if err := fn(tx); err != nil {
				return err
			}
			return tx.appendRecords() // the record log's block for what fn wrote
		})
		if errors.Is(err, badger.ErrConflict) {
			// Another writer changed what this one read: run it again on the new state,
			// after a randomised pause so that the writers do not collide again.
			if time.Since(start) < conflictDeadline {
				time.Sleep(wait/2 + time.Duration(rand.Int64N(int64(wait))))
				wait = min(wait*2, 200*time.Millisecond)
				continue
			}
			return app.Errorf(app.ECONFLICT, "账本一直被其他操作占用，%v 后仍未写入；没有做任何更改，请稍后再试", "the book stayed busy with other changes for %v; nothing was changed, try again shortly", conflictDeadline)
		}
		if errors.Is(err, badger.ErrTxnTooBig) {
			return app.Errorf(app.EINVALID, "一次要写入的内容太多，请分批进行；没有做任何更改", "too much to write at once: split it into smaller batches; nothing was changed")
		}
		if err == nil {
			db.noteCommitted()
		}
		return wrap(err)
	}
}

// wrap passes *app.Error through and turns anything else into an internal error,
// logging the detail for whoever debugs it.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var e *app.Error
	if errors.As(err, &e) {
		return e
	}
	log.Printf("storage: %v", err)
	if isNoSpace(err) {
		return app.Errorf(app.EINVALID, "磁盘已满，写入失败；没有做任何更改。请清理磁盘后再试（查看账本的命令仍可使用）",
			"the disk is full and the write failed; nothing was changed. Free some space and try again (commands that only read still work)")
	}
	return app.Internal(err)
}

// isNoSpace recognises a write refused by a full disk.
func isNoSpace(err error) bool {
	s := err.Error()
	return strings.Contains(s, "no space left on device") || strings.Contains(s, "not enough space on the disk")
}

func (tx *Tx) get(key string, v any) (bool, error) {
	item, err := tx.txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, item.Value(func(b []byte) error { return json.Unmarshal(b, v) })
}

func (tx *Tx) has(key string) (bool, error) {
	_, err := tx.txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (tx *Tx) put(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.putRaw(key, b)
}

func (tx *Tx) putRaw(key string, b []byte) error {
	if err := tx.record(key, b, false); err != nil {
		return err
	}
	return tx.txn.Set([]byte(key), b)
}

func (tx *Tx) delete(key string) error {
	if err := tx.record(key, nil, true); err != nil {
		return err
	}
	return tx.txn.Delete([]byte(key))
}

// each calls fn for every key under prefix, in key order, with the raw value.
func (tx *Tx) each(prefix string, fn func(key string, val []byte) error) error {
	opts := badger.DefaultIteratorOptions
	opts.Prefix = []byte(prefix)
	it := tx.txn.NewIterator(opts)
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		if err := item.Value(func(b []byte) error { return fn(string(item.Key()), b) }); err != nil {
			return err
		}
	}
	return nil
}

// eachJSON decodes every value under prefix into a new T and calls fn with it.
func eachJSON[T any](tx *Tx, prefix string, fn func(key string, v T) error) error {
	return tx.each(prefix, func(key string, b []byte) error {
		var v T
		if err := decodeValue(b, &v); err != nil {
			return fmt.Errorf("decode %s: %w", key, err)
		}
		return fn(key, v)
	})
}

// decodeValue decodes a stored value into v, which holds nothing yet: as json.Unmarshal
// does, faster for the records read by the hundred thousand (app.DecodeBill: a snapshot
// reads every bill of the book).
func decodeValue(b []byte, v any) error {
	if p, ok := v.(*app.Bill); ok {
		var err error
		*p, err = app.DecodeBill(b)
		return err
	}
	return json.Unmarshal(b, v)
}

// next returns the next value of a named sequence (1, 2, 3, ...) inside the transaction,
// so a number is used only if the write that takes it commits.
func (tx *Tx) next(name string) (int64, error) {
	var n int64
	if _, err := tx.get(keySeq+name, &n); err != nil {
		return 0, err
	}
	n++
	return n, tx.put(keySeq+name, n)
}

// audit appends a record to the audit log in the same transaction as the change it
// describes: the change and its record land together or not at all.
func (tx *Tx) audit(who, action, what, why string) error {
	n, err := tx.next("audit")
	if err != nil {
		return err
	}
	if who == "" {
		who = app.T("未署名", "anonymous")
	}
	return tx.put(auditKey(n), app.AuditRecord{Seq: n, At: tx.now.UTC(), Who: who, Action: action, What: what, Why: why})
}

// AuditRefusal records a refused attempt (a wrong passphrase, a signature out of turn)
// in its own transaction, since the refused change itself wrote nothing.
func (db *DB) AuditRefusal(who, action, what string, reason error) {
	_ = db.update(func(tx *Tx) error { return tx.audit(who, action+".refused", what, reason.Error()) })
}

// all decodes every value under prefix, in key order.
func all[T any](tx *Tx, prefix string) ([]T, error) {
	var out []T
	err := eachJSON(tx, prefix, func(_ string, v T) error {
		out = append(out, v)
		return nil
	})
	return out, err
}

// read runs fn in one read transaction and returns what it found.
func read[T any](db *DB, fn func(tx *Tx) (T, error)) (T, error) {
	var out T
	err := db.view(func(tx *Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

// auditRefused records a refused attempt of any service (an expense step, a change of
// the roster, a budget, a settlement): a wrong passphrase or a rule broken
// (EUNAUTHORIZED, EINVALID, ECONFLICT, ELOCKED, ENOTFOUND) is an attempt the committee
// should see in the audit log, although the attempt itself wrote nothing. Internal
// errors are not attempts and are not recorded.
func (db *DB) auditRefused(who, action, what string, err error) {
	var e *app.Error
	if !errors.As(err, &e) || e.Code == app.EINTERNAL {
		return
	}
	db.AuditRefusal(who, action, what, err)
}
