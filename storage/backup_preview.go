package storage

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4/pb"
	"google.golang.org/protobuf/proto"

	"sunledger/app"
)

// maxBackupList bounds one KV list of a backup stream (ours are about 1 MB, Badger's own
// up to about 100 MB): a larger length is a damaged file, not a reason to allocate.
const maxBackupList = 512 << 20

// PreviewBackup reads what a backup holds without touching any book and without loading
// it into a store (docs/window.md "Backups"): the decrypted stream is read to its sealed
// end, as a restore reads it, and only the keys the preview shows are kept: the format
// version (a newer one is refused, as a restore refuses it), the community, the journal's
// head, the units and the audit log's last change. A stream that is damaged, cut short or
// holds no book is refused as a restore refuses it. Memory: one list of the stream at a
// time (a loaded preview of the 3,000-unit, 10-year demo held about 800 MB).
func PreviewBackup(ctx context.Context, r io.Reader, passphrase string) (app.BackupPreview, error) {
	var p app.BackupPreview
	br, err := openBackup(r, passphrase)
	if err != nil {
		return p, err
	}
	// The newest version of each key kept (a stream lists every version a book still
	// holds, newest first within a key, but Badger's own backups list key ranges in any
	// order).
	type kept struct {
		version uint64
		value   []byte
		gone    bool // deleted or expired
	}
	latest := map[string]kept{}
	now := uint64(time.Now().Unix())
	keep := func(m map[string]kept, kv *pb.KV) {
		k := string(kv.Key)
		if old, ok := m[k]; ok && old.version >= kv.Version {
			return
		}
		gone := len(kv.Meta) > 0 && kv.Meta[0]&bitDelete != 0 || kv.ExpiresAt != 0 && kv.ExpiresAt <= now
		m[k] = kept{version: kv.Version, value: kv.Value, gone: gone}
	}
	in := bufio.NewReaderSize(br, 256<<10)
	var buf []byte
	for {
		if err := ctxErr(ctx); err != nil {
			return p, err
		}
		var n uint64
		if err := binary.Read(in, binary.LittleEndian, &n); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return p, loadErr(ctx, err)
		}
		if n > maxBackupList {
			return p, errBackupDamaged(app.T("列表长度不对", "a list of impossible length"))
		}
		if uint64(cap(buf)) < n {
			buf = make([]byte, n)
		}
		if _, err := io.ReadFull(in, buf[:n]); err != nil {
			return p, loadErr(ctx, err)
		}
		var list pb.KVList
		if err := proto.Unmarshal(buf[:n], &list); err != nil {
			return p, loadErr(ctx, err)
		}
		for _, kv := range list.Kv {
			switch k := string(kv.Key); {
			case k == keySchema || k == keyCommunity || k == keyLedgerHead || strings.HasPrefix(k, prefixUnit):
				kv.Value = append([]byte(nil), kv.Value...) // buf is read over
				keep(latest, kv)
			case strings.HasPrefix(k, prefixAudit):
				// Written once each, never changed: read as they come.
				var rec app.AuditRecord
				if len(kv.Meta) > 0 && kv.Meta[0]&bitDelete != 0 || json.Unmarshal(kv.Value, &rec) != nil {
					continue
				}
				if rec.At.After(p.LastChange) {
					p.LastChange, p.LastAction = rec.At, rec.Action
				}
			}
		}
	}
	value := func(key string, v any) (bool, error) {
		x, ok := latest[key]
		if !ok || x.gone {
			return false, nil
		}
		if err := json.Unmarshal(x.value, v); err != nil {
			return false, errBackupDamaged(err.Error())
		}
		return true, nil
	}
	var schema int
	if _, err := value(keySchema, &schema); err != nil {
		return p, err
	}
	if schema > SchemaVersion {
		return p, app.Errorf(app.EINVALID, "这个账本由较新版本的阳光账本创建（格式 %d），请升级程序", "this book was made by a newer Sunledger (format %d): please upgrade", schema)
	}
	var c app.Community
	if ok, err := value(keyCommunity, &c); err != nil || !ok {
		return p, errBackupDamaged(app.T("其中没有账本", "it holds no book"))
	}
	p.Community = c.Name
	var h ledgerHead
	if _, err := value(keyLedgerHead, &h); err != nil {
		return p, err
	}
	p.Head, p.Entries = h.Hash, h.Seq
	for k, x := range latest {
		if strings.HasPrefix(k, prefixUnit) && !x.gone {
			p.Units++
		}
	}
	return p, nil
}
