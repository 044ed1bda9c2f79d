package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// The record log's block format: each write transaction's changed records, hashed and
// chained like journal entries, so that verify can tell a record edited outside
// Sunledger (docs/record-log.md).

// RecordWrite is one record a write transaction changed: its key and the SHA-256 of
// the value it stored, or Deleted when the transaction removed it.
type RecordWrite struct {
	Key     string
	SHA     [32]byte
	Deleted bool
}

// RecordBlock is one link of the record log: the records one write transaction
// changed (Writes, in key order), chained to the block before it like journal entries.
// A baseline block lists the records of a book made before the log existed.
type RecordBlock struct {
	Seq      int64
	Baseline bool
	Writes   []RecordWrite
	Prev     string
	Hash     string
}

// CanonicalRecordBlock is the exact text a record block's hash covers, line-based so
// that anyone can recompute it:
//
//	sunledger-records-v1
//	seq 12
//	kind write                         ("baseline" for a baseline block)
//	put <hex sha-256 of the value> "fee/pay/R00000012"     (Go-quoted key)
//	del "fee/bill/2026-01/1-1-101"
//	prev <hex hash of the previous block, empty for the first>
//
// each line ending in "\n", the put/del lines in key order. Hash = lowercase hex
// SHA-256 of these bytes. The stored block is this text followed by "hash <hex>\n".
func CanonicalRecordBlock(b RecordBlock) []byte {
	out := make([]byte, 0, 64+len(b.Writes)*100)
	out = append(out, "sunledger-records-v1\nseq "...)
	out = strconv.AppendInt(out, b.Seq, 10)
	if b.Baseline {
		out = append(out, "\nkind baseline"...)
	} else {
		out = append(out, "\nkind write"...)
	}
	for _, w := range b.Writes {
		if w.Deleted {
			out = append(out, "\ndel "...)
		} else {
			out = append(out, "\nput "...)
			out = hex.AppendEncode(out, w.SHA[:])
			out = append(out, ' ')
		}
		out = strconv.AppendQuote(out, w.Key)
	}
	out = append(out, "\nprev "...)
	out = append(out, b.Prev...)
	out = append(out, '\n')
	return out
}

// SealRecordBlock sets b's hash and returns the bytes to store: the canonical text
// followed by its hash line.
func SealRecordBlock(b RecordBlock) (RecordBlock, []byte) {
	c := CanonicalRecordBlock(b)
	sum := sha256.Sum256(c)
	b.Hash = hex.EncodeToString(sum[:])
	c = append(c, "hash "...)
	c = append(c, b.Hash...)
	return b, append(c, '\n')
}

// ParseRecordBlock reads a stored block. It returns the block as stored (Hash is the
// hash its last line claims) and the hash its content actually has; a block that was
// altered has the two differ. An error means the text is not a record block at all.
func ParseRecordBlock(v []byte) (RecordBlock, string, error) {
	var ws []RecordWrite
	b, actual, err := ScanRecordBlock(v, func(key []byte, sha *[32]byte, deleted bool) error {
		ws = append(ws, RecordWrite{Key: string(key), SHA: *sha, Deleted: deleted})
		return nil
	})
	b.Writes = ws
	return b, actual, err
}

// ScanRecordBlock is ParseRecordBlock without building the list of writes: it calls
// fn for each write in order (key and sha are only valid during the call), for a
// verify that replays a quarter of a million blocks. The returned block has no Writes.
func ScanRecordBlock(v []byte, fn func(key []byte, sha *[32]byte, deleted bool) error) (RecordBlock, string, error) {
	var b RecordBlock
	bad := func(what string) (RecordBlock, string, error) {
		return b, "", Errorf(EINVALID, "记录块无法读取（%s）", "the record block cannot be read (%s)", what)
	}
	i := bytes.LastIndex(v, []byte("\nhash "))
	if i < 0 || v[len(v)-1] != '\n' {
		return bad("no hash line")
	}
	i++
	sum := sha256.Sum256(v[:i])
	actual := hex.EncodeToString(sum[:])
	b.Hash = string(v[i+5 : len(v)-1])
	rest := v[:i]
	line := func() ([]byte, bool) {
		j := bytes.IndexByte(rest, '\n')
		if j < 0 {
			return nil, false
		}
		l := rest[:j]
		rest = rest[j+1:]
		return l, true
	}
	if l, ok := line(); !ok || string(l) != "sunledger-records-v1" {
		return bad("header")
	}
	l, _ := line()
	seq, ok := bytes.CutPrefix(l, []byte("seq "))
	n, err := strconv.ParseInt(string(seq), 10, 64)
	if !ok || err != nil {
		return bad("seq")
	}
	b.Seq = n
	switch l, _ := line(); string(l) {
	case "kind write":
	case "kind baseline":
		b.Baseline = true
	default:
		return bad("kind")
	}
	var sha [32]byte
	var keyBuf []byte
	for {
		l, ok := line()
		if !ok {
			return bad("prev")
		}
		if prev, ok := bytes.CutPrefix(l, []byte("prev ")); ok {
			if len(rest) != 0 {
				return bad("prev")
			}
			b.Prev = string(prev)
			return b, actual, nil
		}
		var q []byte
		deleted := false
		if r, ok := bytes.CutPrefix(l, []byte("del ")); ok {
			deleted, q = true, r
			sha = [32]byte{}
		} else if r, ok := bytes.CutPrefix(l, []byte("put ")); ok && len(r) > 65 && r[64] == ' ' {
			if _, err := hex.Decode(sha[:], r[:64]); err != nil {
				return bad("sha")
			}
			q = r[65:]
		} else {
			return bad("line")
		}
		// A quoted key without escapes is its own content between the quotes.
		if len(q) >= 2 && q[0] == '"' && q[len(q)-1] == '"' && bytes.IndexByte(q, '\\') < 0 && bytes.IndexByte(q[1:len(q)-1], '"') < 0 {
			keyBuf = q[1 : len(q)-1]
		} else {
			k, err := strconv.Unquote(string(q))
			if err != nil {
				return bad("key")
			}
			keyBuf = []byte(k)
		}
		if err := fn(keyBuf, &sha, deleted); err != nil {
			return b, actual, err
		}
	}
}
