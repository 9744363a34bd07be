package sandbox

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestStateDir(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(name string) string { return vars[name] }
	}
	for _, c := range []struct {
		goos string
		vars map[string]string
		home string
		want string // "": an error that says what to do
	}{
		{"linux", map[string]string{"XDG_STATE_HOME": "/xdg/state"}, "/home/a", filepath.Join("/xdg/state", "handoff")},
		{"linux", nil, "/home/a", filepath.Join("/home/a", ".local", "state", "handoff")},
		{"linux", map[string]string{"XDG_STATE_HOME": "relative"}, "/home/a", filepath.Join("/home/a", ".local", "state", "handoff")},
		{"freebsd", nil, "/home/a", filepath.Join("/home/a", ".local", "state", "handoff")},
		{"linux", nil, "", ""},
		{"darwin", map[string]string{"XDG_STATE_HOME": "/xdg/state"}, "/Users/a", filepath.Join("/Users/a", "Library", "Application Support", "handoff")},
		{"darwin", nil, "", ""},
		{"windows", map[string]string{"LocalAppData": "/Users/a/AppData/Local", "XDG_STATE_HOME": "/xdg"}, "/Users/a", filepath.Join("/Users/a/AppData/Local", "handoff")},
		{"windows", nil, "/Users/a", ""},
	} {
		got, err := stateDir(c.goos, env(c.vars), c.home)
		switch {
		case c.want == "" && (err == nil || !strings.Contains(err.Error(), "use --data DIR or --memory")):
			t.Errorf("%s %v home %q: %q, %v; want an error that says what to do", c.goos, c.vars, c.home, got, err)
		case c.want != "" && (err != nil || got != c.want):
			t.Errorf("%s %v home %q: %q, %v; want %q", c.goos, c.vars, c.home, got, err, c.want)
		}
	}
}
