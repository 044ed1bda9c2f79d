package snapshot

// viewer.go builds the owner viewer (index.html) of a snapshot: one self-contained page
// (inline CSS and JS) that an owner opens on a phone from the unzipped folder or a web
// bucket. A browser cannot read the zip it came in (file:// fetches are blocked), so the
// page carries what its first page checks and shows: the exact bytes of manifest.json, its
// signature manifest.json.minisig, the committee's public key, and the small JSON files of
// the first page (format.go, landingFile) — the same size for any book. In the browser it
// checks the signature of the manifest (minisign prehashed Ed25519: BLAKE2b-512 of the
// manifest, then the global signature over the signature and the trusted comment), the
// SHA-256 of each embedded file against the manifest, that the journal's quarters
// (periods.go) join into one chain ending at the head in the manifest and the signed
// comment, and the heads published before. A quarter's journal, the arrears by unit and a
// long expense list are loaded when the owner opens them — fetched beside the page over
// http(s), chosen with a file picker from a folder — and checked against the manifest (a
// quarter's CSV re-hashed from the link before it, then its range proof followed to the
// signed checkpoint's root: periodtree.go) before they are shown (docs/snapshot.md).

import (
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"sort"
	"strings"

	"sunledger/app"
)

//go:embed viewer/index.html
var viewerTemplate string

// viewerMarker is where the page's data goes in the template.
const viewerMarker = "__SNAPSHOT_DATA__"

// viewerData is the JSON embedded in the page. Files hold base64 of the exact bytes, so
// that the page hashes what the manifest lists.
type viewerData struct {
	Manifest string            `json:"manifest"` // base64 of manifest.json
	Minisig  string            `json:"minisig"`  // manifest.json.minisig as text
	PubKey   string            `json:"pubkey"`   // the committee's public key, minisign text
	Files    map[string]string `json:"files"`    // name → base64
	Order    []string          `json:"order"`
}

// ViewerPage renders index.html with the manifest, its signature, the public key and
// the JSON files and the checkpoint embedded.
func ViewerPage(manifest, minisig, pubkey []byte, files map[string][]byte) ([]byte, error) {
	d := viewerData{Manifest: base64.StdEncoding.EncodeToString(manifest), Minisig: string(minisig),
		PubKey: string(pubkey), Files: map[string]string{}}
	for name, b := range files {
		d.Files[name] = base64.StdEncoding.EncodeToString(b)
		d.Order = append(d.Order, name)
	}
	sort.Strings(d.Order)
	b, err := json.Marshal(d) // escapes < > &, so the data cannot end the script element
	if err != nil {
		return nil, app.Internal(err)
	}
	return []byte(strings.Replace(viewerTemplate, viewerMarker, string(b), 1)), nil
}
