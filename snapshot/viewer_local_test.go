package snapshot

import "testing"

// Only names that stay inside the folder are unpacked.
func TestUnpackViewer_OnlyNamesThatStayInTheFolder(t *testing.T) {
	for name, want := range map[string]bool{
		"index.html": true, "quarterly/2026Q1.pdf": true, "journal.json": true,
		"": false, "/etc/passwd": false, "../x": false, "a/../../x": false, "a//b": false,
		"./a": false, `a\b`: false, "C:/x": false, "a\x00b": false, "a\nb": false,
	} {
		if got := safeUnpackName(name); got != want {
			t.Errorf("safeUnpackName(%q) = %v, want %v", name, got, want)
		}
	}
}
