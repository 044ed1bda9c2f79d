package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"sunledger/app"
)

// The record log chains every record of the book, not only the journal: each write
// transaction appends one block (rlog/<seq>) naming every key it wrote or deleted with
// the SHA-256 of the value, linked to the block before it by hash, in the same
// transaction as the writes. Verify replays the blocks into "what each key must hold"
// and compares that with the store both ways, so a ballot, a receipt, a member or an
// audit record edited, added or deleted with a database tool is found and named.

// recordSum is what one transaction did to one key: the hash of the value it wrote last,
// or deleted, and the hash of the value the key held before the transaction (hasOld
// false: none).
type recordSum struct {
	sha     [32]byte
	deleted bool
	old     [32]byte
	hasOld  bool
}

// recordHead is the newest block's number and hash.
// It also records the Merkle tree's size (leaves) and root (hex): Size equals Seq once
// the tree covers every block (tlog.go).
type recordHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
	Size int64  `json:"size"`
	Root string `json:"root"`
}

// logged reports whether key is covered by the record log: every key except the log's own.
func logged[K string | []byte](key K) bool {
	if len(key) == 0 || (key[0] != 'r' && key[0] != 'm') { // (asked of every key verify reads)
		return true
	}
	return !hasPrefix(key, prefixRecordLog) && !hasPrefix(key, prefixTree) && !hasPrefix(key, prefixLeafIndex) && string(key) != keyRecordHead && string(key) != keyRecordBaseline
}

// hasPrefix is strings.HasPrefix for a key as a string or as bytes (verify asks of a
// million keys read as bytes: converting each to a string would allocate).
func hasPrefix[K string | []byte](key K, prefix string) bool {
	return len(key) >= len(prefix) && string(key[:len(prefix)]) == prefix
}

// record notes a write for the transaction's block, before it is made; views and the
// log's own keys are not recorded. The first write of a key in a transaction reads what
// the key held, for the block to name the value it replaces (the running digest,
// docs/record-log.md): the read also makes a concurrent writer of the same key a
// conflict, so the value named is the one the commit replaces.
func (tx *Tx) record(key string, val []byte, deleted bool) error {
	if tx.rec == nil || !logged(key) {
		return nil
	}
	s, seen := tx.rec[key]
	if !seen {
		item, err := tx.txn.Get([]byte(key))
		switch {
		case errors.Is(err, badger.ErrKeyNotFound):
		case err != nil:
			return err
		default:
			if err := item.Value(func(v []byte) error { s.old = sha256.Sum256(v); return nil }); err != nil {
				return err
			}
			s.hasOld = true
		}
	}
	s.deleted, s.sha = deleted, [32]byte{}
	if !deleted {
		s.sha = sha256.Sum256(val)
	}
	tx.rec[key] = s
	return nil
}

// logStartsV1 reports whether the record log's first block is of the first format,
// without the values each write replaced: a book written before 2026-12-07, whose log
// verify replays and joins with the store (recordreplay.go).
func (tx *Tx) logStartsV1() bool {
	item, err := tx.txn.Get([]byte(recordBlockKey(1)))
	if err != nil {
		return false
	}
	v1 := false
	_ = item.Value(func(v []byte) error { v1 = bytes.HasPrefix(v, []byte("sunledger-records-v1\n")); return nil })
	return v1
}

// appendRecords appends the block of what this transaction wrote and moves the head,
// just before it commits. A transaction that wrote nothing appends nothing.
func (tx *Tx) appendRecords() error {
	if len(tx.rec) == 0 {
		return nil
	}
	var head recordHead
	if _, err := tx.get(keyRecordHead, &head); err != nil {
		return err
	}
	b := app.RecordBlock{Seq: head.Seq + 1, Prev: head.Hash, Writes: make([]app.RecordWrite, 0, len(tx.rec))}
	for k, s := range tx.rec {
		b.Writes = append(b.Writes, app.RecordWrite{Key: k, SHA: s.sha, Deleted: s.deleted, Old: s.old, HasOld: s.hasOld})
	}
	sort.Slice(b.Writes, func(i, j int) bool { return b.Writes[i].Key < b.Writes[j].Key })
	return tx.writeBlock(b)
}

// writeBlock stores block b (numbered after the head), appends its leaf to the tree
// and moves the head.
func (tx *Tx) writeBlock(b app.RecordBlock) error {
	var head recordHead
	if _, err := tx.get(keyRecordHead, &head); err != nil {
		return err
	}
	if head.Size != head.Seq {
		return errTreeUnfinished()
	}
	b, v := app.SealRecordBlock(b)
	if err := tx.txn.Set([]byte(recordBlockKey(b.Seq)), v); err != nil {
		return err
	}
	data, err := tx.leafOf(b)
	if err != nil {
		return err
	}
	root, err := tx.appendLeaf(head.Size, data)
	if err != nil {
		return err
	}
	if err := tx.indexLeaf(b); err != nil {
		return err
	}
	return tx.txn.Set([]byte(keyRecordHead), headJSON(recordHead{Seq: b.Seq, Hash: b.Hash, Size: head.Size + 1, Root: hex.EncodeToString(root[:])}))
}

func headJSON(v recordHead) []byte {
	return []byte(fmt.Sprintf(`{"seq":%d,"hash":%q,"size":%d,"root":%q}`, v.Seq, v.Hash, v.Size, v.Root))
}

// baselineChunk is how many records one baseline block lists (≈100 bytes each).
var baselineChunk = 50000

// startRecordLog gives a book made before the record log existed its baseline: blocks
// that list every record as it stands, written when the book is first opened for
// writing, before anything else is written. A large book takes several blocks, each in
// its own transaction; meta/rlog-baseline marks the last key covered so that an
// interrupted baseline resumes where it stopped, and verify refuses a book whose
// baseline is unfinished. The baseline is recorded in the audit log.
//
// A book that had a log and lost it is refused, never given a new baseline
// (checkLogIntact); a log from before the Merkle tree gets its tree (buildTree); a
// book made before book ids gets its id (ensureBookID).
func (db *DB) startRecordLog() error {
	if db.bdb.Opts().ReadOnly {
		return nil
	}
	if err := db.view(func(tx *Tx) error { return tx.checkLogIntact() }); err != nil {
		return err
	}
	if err := db.buildTree(); err != nil {
		return err
	}
	if err := db.baseline(); err != nil {
		return err
	}
	return db.ensureBookID()
}

// baseline lays down the baseline blocks of a book made before the record log.
func (db *DB) baseline() error {
	total := 0
	for {
		done := false
		err := db.bdb.Update(func(txn *badger.Txn) error {
			tx := &Tx{txn: txn, db: db, now: db.Now()}
			var head recordHead
			hasHead, err := tx.get(keyRecordHead, &head)
			if err != nil {
				return err
			}
			var from string
			pending, err := tx.get(keyRecordBaseline, &from)
			if err != nil {
				return err
			}
			if hasHead && !pending {
				done = true
				return nil
			}
			b := app.RecordBlock{Seq: head.Seq + 1, Prev: head.Hash, Baseline: true}
			more := false
			opts := badger.DefaultIteratorOptions
			it := txn.NewIterator(opts)
			for it.Seek([]byte(from)); it.Valid(); it.Next() {
				item := it.Item()
				k := string(item.Key())
				if (pending && k <= from) || !logged(k) {
					continue
				}
				if len(b.Writes) == baselineChunk {
					more = true
					break
				}
				w := app.RecordWrite{Key: k}
				if err := item.Value(func(v []byte) error { w.SHA = sha256.Sum256(v); return nil }); err != nil {
					it.Close()
					return err
				}
				b.Writes = append(b.Writes, w)
			}
			it.Close()
			if len(b.Writes) == 0 && !pending {
				done = true // an empty store: the first write starts the log
				return nil
			}
			if err := tx.writeBlock(b); err != nil {
				return err
			}
			total += len(b.Writes)
			if more {
				v, err := json.Marshal(b.Writes[len(b.Writes)-1].Key)
				if err != nil {
					return err
				}
				return txn.Set([]byte(keyRecordBaseline), v)
			}
			done = true
			return txn.Delete([]byte(keyRecordBaseline))
		})
		if err != nil {
			return wrap(err)
		}
		if done {
			break
		}
	}
	if total == 0 {
		return nil
	}
	return db.update(func(tx *Tx) error {
		return tx.audit("", "records.baseline", fmt.Sprintf("%d records", total),
			app.T("记录链启用：账本原有记录的基线", "record log started: baseline of the book's existing records"))
	})
}

// checkBaseline refuses a book whose record log is missing its baseline's end.
func (tx *Tx) checkBaseline() error {
	ok, err := tx.has(keyRecordBaseline)
	if ok {
		return app.Errorf(app.EINVALID, "记录链的基线还没有建完：请用任意会写入的命令打开账本一次，让它补完后再核对",
			"the record log's baseline is unfinished: open the book once with a command that writes so that it completes, then verify again")
	}
	return err
}

func errChanged(key string) error {
	zh, en := describeKey(key)
	return &app.Error{Code: app.EINVALID,
		ZH: zh + " 与记录链不符：它在阳光账本之外被改动过。请从备份核对",
		EN: en + " does not match the record log: it was changed outside Sunledger. Check against a backup"}
}

func errBlock(block, why, first string, count int) error {
	zh, en := "", ""
	if count > 0 {
		z, e := describeKey(first)
		zh = fmt.Sprintf("，它记载 %s 等 %d 条记录", z, count)
		en = fmt.Sprintf("; it covers %s, %d records in all", e, count)
	}
	return &app.Error{Code: app.EINVALID,
		ZH: fmt.Sprintf("记录链第 %s 块有问题：%s%s。它或它记载的记录在阳光账本之外被改动过，请从备份核对", block, why, zh),
		EN: fmt.Sprintf("block %s of the record log is bad: %s%s. It, or a record it covers, was changed outside Sunledger; check against a backup", block, why, en)}
}

// recordNames name the records under each key prefix, in key-layout order (keys.go);
// %s is the rest of the key (a unit, a receipt number, a month).
var recordNames = []struct{ prefix, zh, en string }{
	{prefixUnit, "登记册房号 %s", "unit %s of the register"},
	{prefixBalance, "科目 %s 的余额", "the balance of %s"},
	{prefixAccount, "科目 %s", "account %s"},
	{prefixPrice, "物业费单价 %s", "fee price %s"},
	{prefixRun, "%s 的开单记录", "the billing run of %s"},
	{prefixPending, "%s 未完成的开单标记", "the unfinished-billing mark of %s"},
	{prefixBill, "账单 %s", "bill %s"},
	{prefixFeeAccount, "房号 %s 的物业费账户", "the fee account of unit %s"},
	{prefixPayment, "收据 %s", "receipt %s"},
	{prefixUnitPay, "收据索引 %s", "receipt index %s"},
	{prefixVoteMeta, "表决 %s", "assembly %s"},
	{prefixVoteReg, "表决 %s 冻结的登记册", "the frozen register of assembly %s"},
	{prefixVoteEnt, "选票 %s", "ballot %s"},
	{prefixVoteRes, "选票 %s 的复核结论", "the third look at ballot %s"},
	{prefixVoteDlv, "送达记录 %s", "delivery record %s"},
	{prefixVoteRule, "业主认定 %s", "head ruling %s"},
	{prefixVoteKey, "选票录入人 %s", "the keyers of ballot entry %s"},
	{prefixMember, "成员 %s", "member %s"},
	{prefixExpense, "支出申请 %s", "expense request %s"},
	{prefixAttachment, "附件 %s", "attachment %s"},
	{prefixBudget, "%s 年度预算", "the %s budget"},
	{prefixRemuAccrual, "%s 的酬金计提", "the remuneration accrual of %s"},
	{prefixAssessment, "%s 的服务考核", "the %s assessment"},
	{prefixRemuTrueUp, "%s 的酬金考核调整", "the remuneration true-up of %s"},
	{prefixSettlement, "%s 年度统结统算", "the %s settlement"},
	{keySeq, "编号计数器 %s", "the %s counter"},
	{prefixRoster, "成员变更 %s", "roster change %s"},
	{prefixServiceMonth, "服务请求索引 %s", "service request index %s"},
	{prefixService, "服务请求 %s", "service request %s"},
	{prefixCashDeposit, "现金存款单 %s", "cash deposit slip %s"},
	{prefixBankLine, "银行对账单行 %s", "bank statement line %s"},
	{prefixBankMatch, "对账记录 %s", "bank match %s"},
	{prefixBankNumber, "%s 的银行账号", "the bank account number of %s"},
	{prefixBankCount, "%s 已导入的对账单行数", "the statement lines imported for %s"},
	{prefixPublished, "发布过的链头 %s", "published head %s"},
	{prefixSurveyMeta, "满意度调查 %s", "survey %s"},
	{prefixSurveyEnt, "调查答卷 %s", "survey sheet %s"},
	{prefixSurveyRes, "调查答卷 %s 的复核结论", "the third look at survey sheet %s"},
	{prefixMeeting, "联席会议 %s", "joint meeting %s"},
	{prefixDuty, "权责清单第 %s 版", "duty list version %s"},
	{prefixPrint, "打印记录 %s", "print record %s"},
}

// describeKey names a record in words, in Chinese and in English: "收据 R00000012",
// "选票 V0001/A/17". Keys it does not know are named as they are.
func describeKey(key string) (zh, en string) {
	cut := func(p string) (string, bool) { return strings.CutPrefix(key, p) }
	num := func(s string) string { return strings.TrimLeft(s, "0") }
	if r, ok := cut(prefixEntry); ok {
		return "凭证 #" + num(r), "journal entry #" + num(r)
	}
	if r, ok := cut(prefixReversed); ok {
		return "凭证 #" + num(r) + " 的冲销标记", "the reversal mark of entry #" + num(r)
	}
	if r, ok := cut(prefixAudit); ok {
		return "审计记录 #" + num(r), "audit record #" + num(r)
	}
	for _, n := range recordNames {
		if r, ok := cut(n.prefix); ok {
			return fmt.Sprintf(n.zh, r), fmt.Sprintf(n.en, r)
		}
	}
	switch key {
	case keyCommunity:
		return "小区信息", "the community record"
	case keySchema:
		return "账本格式版本", "the book's format version"
	case keyLedgerHead:
		return "凭证链末端记录", "the journal head"
	case keyLedgerLock:
		return "账期锁定", "the period lock"
	case keyLateFee:
		return "滞纳金条款", "the late-fee clause"
	case keyExpenseRules:
		return "支出规则", "the expense rules"
	case keyRemuContract:
		return "酬金条款", "the remuneration clause"
	}
	return "记录 " + key, "record " + key
}
