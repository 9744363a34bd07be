package sandbox

import "testing"

// TestSplitProfileID: the three parts of a scoped profile ID, the last taking any
// further slash, and nothing for an ID short of a part.
func TestSplitProfileID(t *testing.T) {
	for id, want := range map[string][3]string{
		profileID(nsSSO, "demo", "alice"): {nsSSO, "demo", "alice"},
		"ns/sp/a/b":                       {"ns", "sp", "a/b"},
		"ns/sp/":                          {},
		"ns//x":                           {},
		"/sp/x":                           {},
		"ns/sp":                           {},
		"":                                {},
	} {
		ns, sp, common, ok := splitProfileID(id)
		if got := [3]string{ns, sp, common}; got != want || ok != (want != [3]string{}) {
			t.Errorf("splitProfileID(%q) = %q %v, want %q", id, got, ok, want)
		}
	}
}
