package storage

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash/maphash"
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
// or deleted.
type recordSum struct {
	sha     [32]byte
	deleted bool
}

// recordHead is the newest block's number and hash.
type recordHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// logged reports whether key is covered by the record log: every key except the log's own.
func logged(key string) bool {
	return !strings.HasPrefix(key, prefixRecordLog) && key != keyRecordHead && key != keyRecordBaseline
}

// record notes a write for the transaction's block; views and the log's own keys are
// not recorded.
func (tx *Tx) record(key string, val []byte, deleted bool) {
	if tx.rec == nil || !logged(key) {
		return
	}
	s := recordSum{deleted: deleted}
	if !deleted {
		s.sha = sha256.Sum256(val)
	}
	tx.rec[key] = s
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
		b.Writes = append(b.Writes, app.RecordWrite{Key: k, SHA: s.sha, Deleted: s.deleted})
	}
	sort.Slice(b.Writes, func(i, j int) bool { return b.Writes[i].Key < b.Writes[j].Key })
	return tx.writeBlock(b)
}

func (tx *Tx) writeBlock(b app.RecordBlock) error {
	b, v := app.SealRecordBlock(b)
	if err := tx.txn.Set([]byte(recordBlockKey(b.Seq)), v); err != nil {
		return err
	}
	return tx.txn.Set([]byte(keyRecordHead), headJSON(recordHead{Seq: b.Seq, Hash: b.Hash}))
}

func headJSON(v recordHead) []byte {
	return []byte(fmt.Sprintf(`{"seq":%d,"hash":%q}`, v.Seq, v.Hash))
}

// baselineChunk is how many records one baseline block lists (≈100 bytes each).
var baselineChunk = 50000

// startRecordLog gives a book made before the record log existed its baseline: blocks
// that list every record as it stands, written when the book is first opened for
// writing, before anything else is written. A large book takes several blocks, each in
// its own transaction; meta/rlog-baseline marks the last key covered so that an
// interrupted baseline resumes where it stopped, and verify refuses a book whose
// baseline is unfinished. The baseline is recorded in the audit log.
func (db *DB) startRecordLog() error {
	if db.bdb.Opts().ReadOnly {
		return nil
	}
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

// parsedBlock is one block of the record log, parsed and hashed by a worker.
type parsedBlock struct {
	block  app.RecordBlock
	actual string // the hash of its content
	keys   []byte // the keys it writes, end to end
	ends   []int  // key i is keys[ends[i-1]:ends[i]]
	hashes []keyHash
	shas   [][32]byte
	dels   []bool
}

func (p *parsedBlock) key(i int) []byte {
	if i == 0 {
		return p.keys[:p.ends[0]]
	}
	return p.keys[p.ends[i-1]:p.ends[i]]
}

// first names the block by its first record, "" for an empty block.
func (p *parsedBlock) first() string {
	if len(p.ends) == 0 {
		return ""
	}
	return string(p.key(0))
}

// replayRecordLog reads the record log block by block, checking that the blocks link
// and hash and that the head is the last block, into what each key must hold now.
// Blocks are parsed and hashed on all cores and applied in order here.
func (tx *Tx) replayRecordLog(ctx context.Context) (*replay, error) {
	r := newReplay(tx.db.keyEstimate())
	var last recordHead
	parse := func(key, v []byte) (*parsedBlock, error) {
		p := &parsedBlock{}
		b, actual, err := app.ScanRecordBlock(v, func(key []byte, sha *[32]byte, deleted bool) error {
			p.keys = append(p.keys, key...)
			p.ends = append(p.ends, len(p.keys))
			p.hashes = append(p.hashes, r.hash(key))
			p.shas, p.dels = append(p.shas, *sha), append(p.dels, deleted)
			return nil
		})
		if err != nil {
			if app.ErrorCode(err) == app.EINVALID {
				return nil, errBlock(strings.TrimPrefix(string(key), prefixRecordLog), app.T("无法读取", "it cannot be read"), "", 0)
			}
			return nil, err
		}
		p.block, p.actual = b, actual
		return p, nil
	}
	err := decodeInOrder(ctx, tx, prefixRecordLog, parse, func(key []byte, p *parsedBlock) error {
		b := p.block
		switch {
		case string(key) != recordBlockKey(b.Seq) || b.Seq != last.Seq+1:
			return app.Errorf(app.EINVALID, "记录链在第 %d 块之后断了（下一块存放在 %s，自称第 %d 块）：有记录块被删除、添加或挪动，账本在阳光账本之外被改动过",
				"the record log breaks after block %d (the next is stored at %s and claims to be block %d): blocks were removed, added or moved outside Sunledger", last.Seq, key, b.Seq)
		case b.Prev != last.Hash:
			return errBlock(fmt.Sprint(b.Seq), app.T("它记录的上一块哈希与实际不符", "its link to the block before does not match"), p.first(), len(p.ends))
		case p.actual != b.Hash:
			return errBlock(fmt.Sprint(b.Seq), app.T("内容与它的哈希不符", "its content does not match its hash"), p.first(), len(p.ends))
		}
		for i := range p.ends {
			r.apply(p.key(i), p.hashes[i], &p.shas[i], p.dels[i])
		}
		last = recordHead{Seq: b.Seq, Hash: b.Hash}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var head recordHead
	if _, err := tx.get(keyRecordHead, &head); err != nil {
		return nil, err
	}
	if head != last {
		return nil, app.Errorf(app.EINVALID, "记录链的末端记录（第 %d 块）与实际的最后一块（第 %d 块）不符：有记录块被删除或添加",
			"the record log's recorded head (block %d) does not match its last block (%d): blocks were removed or added", head.Seq, last.Seq)
	}
	if last.Seq == 0 {
		return nil, app.Errorf(app.EINVALID, "这个账本没有记录链（由旧版本创建，或记录链被删除）：用任意写入命令打开一次会建立基线，然后再核对",
			"this book has no record log (made by an older version, or the log was deleted): open it once with a command that writes to lay down a baseline, then verify again")
	}
	return r, nil
}

// replayGate hands the replayed log to the workers that read the store: they hash each
// record as it comes and compare it with the replay once the replay is done.
type replayGate struct {
	done chan struct{} // closed when r (or err) is set
	r    *replay
	err  error
}

// replayLog replays the record log on goroutines of its own (see replayRecordLog).
func (tx *Tx) replayLog(ctx context.Context) *replayGate {
	g := &replayGate{done: make(chan struct{})}
	go func() {
		defer close(g.done)
		defer tx.db.recoverDamage(&g.err)
		g.r, g.err = tx.replayRecordLog(ctx)
	}()
	return g
}

// lookup is a worker's comparison of one stored record with the replay: its index in
// the replay, or -1 when the replay does not hold it live (it was added outside
// Sunledger). Replay failed: -2.
func (g *replayGate) lookup(key []byte) int32 {
	<-g.done
	if g.r == nil {
		return -2
	}
	if i, ok := g.r.find(key); ok && g.r.recs[i].live {
		return i
	}
	return -1
}

// recordCheck compares the stored records, in key order, with the replay: every logged
// record must be live in the replay with the hash its last block gave it, and (missing)
// every live key of the replay must still be in the store.
type recordCheck struct {
	g    *replayGate
	seen []bool
}

// take checks one stored record, looked up by a worker as idx; the error names it.
func (c *recordCheck) take(key []byte, idx int32, sha *[32]byte) error {
	if idx == -2 {
		return c.g.err
	}
	if idx < 0 {
		zh, en := describeKey(string(key))
		return &app.Error{Code: app.EINVALID,
			ZH: zh + " 不在记录链里：它是在阳光账本之外加进账本的。请从备份核对",
			EN: en + " is not in the record log: it was added outside Sunledger. Check against a backup"}
	}
	if *sha != c.g.r.recs[idx].sha {
		return errChanged(string(key))
	}
	if c.seen == nil {
		c.seen = make([]bool, len(c.g.r.recs))
	}
	c.seen[idx] = true
	return nil
}

// missing names the first record (in key order) the replay holds and the store lacks.
func (c *recordCheck) missing() error {
	r := c.g.r
	var missing []string
	for i := range r.recs {
		if r.recs[i].live && (c.seen == nil || !c.seen[i]) {
			missing = append(missing, string(r.key(int32(i))))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	zh, en := describeKey(missing[0])
	return &app.Error{Code: app.EINVALID,
		ZH: fmt.Sprintf("%s 在记录链里有记载，账本里却没有了：它在阳光账本之外被删除（共 %d 条记录缺失）。请从备份恢复", zh, len(missing)),
		EN: fmt.Sprintf("%s is in the record log but no longer in the book: it was deleted outside Sunledger (%d records missing). Restore a backup", en, len(missing))}
}

// apply records one line of a block: key (hashed h) now holds the value hashed sha, or
// is deleted.
func (r *replay) apply(key []byte, h keyHash, sha *[32]byte, deleted bool) {
	i, ok := r.findHashed(key, h)
	switch {
	case ok:
		r.recs[i].sha, r.recs[i].live = *sha, !deleted
	case !deleted:
		r.add(key, h, sha)
	}
}

// replay is the record log replayed: what each key must hold. Every key ever written
// gets an index into recs; the index is keyed by a seeded 64-bit hash of the key so that
// the million entries of a large book hold no pointers for the garbage collector to
// scan, and a second hash, kept beside the value's hash, tells keys apart without
// reading the key itself (one memory access per lookup instead of three). The rare key
// whose first hash another key already has goes to other.
type replay struct {
	seeds [2]maphash.Seed
	idx   map[uint64]int32
	other map[string]int32
	arena []byte
	offs  []uint32 // key i is arena[offs[i]:offs[i+1]]
	recs  []replayRec
}

// replayRec is what key i must hold.
type replayRec struct {
	h2   uint64
	sha  [32]byte
	live bool
}

// keyHash is a key's two seeded hashes (replay.hash), computed on the workers.
type keyHash [2]uint64

// newReplay sizes the index for about keys keys.
func newReplay(keys int) *replay {
	keys = min(max(keys, 1<<12), 1<<24)
	return &replay{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, idx: make(map[uint64]int32, keys),
		other: map[string]int32{}, offs: make([]uint32, 1, keys+1), recs: make([]replayRec, 0, keys)}
}

func (r *replay) hash(key []byte) keyHash {
	return keyHash{maphash.Bytes(r.seeds[0], key), maphash.Bytes(r.seeds[1], key)}
}

func (r *replay) key(i int32) []byte { return r.arena[r.offs[i]:r.offs[i+1]] }

func (r *replay) find(key []byte) (int32, bool) { return r.findHashed(key, r.hash(key)) }

func (r *replay) findHashed(key []byte, h keyHash) (int32, bool) {
	i, ok := r.idx[h[0]]
	if !ok {
		return 0, false
	}
	if r.recs[i].h2 == h[1] {
		return i, true
	}
	i, ok = r.other[string(key)]
	return i, ok
}

func (r *replay) add(key []byte, h keyHash, sha *[32]byte) {
	i := int32(len(r.recs))
	r.arena = append(r.arena, key...)
	r.offs = append(r.offs, uint32(len(r.arena)))
	r.recs = append(r.recs, replayRec{h2: h[1], sha: *sha, live: true})
	if _, taken := r.idx[h[0]]; taken {
		r.other[string(key)] = i
		return
	}
	r.idx[h[0]] = i
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
	{prefixMember, "成员 %s", "member %s"},
	{prefixExpense, "支出申请 %s", "expense request %s"},
	{prefixAttachment, "附件 %s", "attachment %s"},
	{prefixBudget, "%s 年度预算", "the %s budget"},
	{prefixRemuAccrual, "%s 的酬金计提", "the remuneration accrual of %s"},
	{prefixAssessment, "%s 的服务考核", "the %s assessment"},
	{prefixSettlement, "%s 年度统结统算", "the %s settlement"},
	{keySeq, "编号计数器 %s", "the %s counter"},
	{prefixRoster, "成员变更 %s", "roster change %s"},
	{prefixServiceMonth, "服务请求索引 %s", "service request index %s"},
	{prefixService, "服务请求 %s", "service request %s"},
	{prefixCashDeposit, "现金存款单 %s", "cash deposit slip %s"},
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

// keyEstimate is about how many keys the store holds (Badger's count per table, which
// also counts old versions): enough to size verify's index once.
func (db *DB) keyEstimate() int {
	n := 0
	for _, t := range db.bdb.Tables() {
		n += int(t.KeyCount)
	}
	return n
}
