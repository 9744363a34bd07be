package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// needTool finds a program a test cannot do without: under CI=true its absence fails
// the test (.ci/run installs it), elsewhere it skips with a message.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed; .ci/run installs it", name)
	}
	t.Skipf("%s is not installed: install it to run this test", name)
	return ""
}

// completionShell is a tester's machine for completion: handoff on the PATH, a
// private home, and devices in its file keystore.
type completionShell struct {
	*shell
	dir string // where the completion scripts are written
}

func newCompletionShell(t *testing.T) *completionShell {
	sh := newShell(t, closedPort(t))
	sh.env = append(sh.env, "PATH="+filepath.Dir(sh.bin)+":"+os.Getenv("PATH"))
	// whoami makes a device's record (and puts it in the index) without the network.
	for _, dev := range [][]string{{"whoami"}, {"whoami", "--device", "tv2"}, {"whoami", "--device", "lounge"}, {"whoami", "--device", "far", "--server", "http://10.9.9.9:1"}} {
		if r := sh.run(dev...); r.code != exitOK {
			t.Fatalf("handoff %q: %+v", dev, r)
		}
	}
	return &completionShell{shell: sh, dir: t.TempDir()}
}

// script writes handoff's completion script for a shell to a file named name.
func (c *completionShell) script(shell, name string) string {
	c.t.Helper()
	r := c.run("completion", shell)
	if r.code != exitOK || r.stdout == "" {
		c.t.Fatalf("completion %s: %+v", shell, r)
	}
	file := filepath.Join(c.dir, name)
	if err := os.WriteFile(file, []byte(r.stdout), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return file
}

// shellOut runs a shell program in the completion shell's environment.
func (c *completionShell) shellOut(args ...string) string {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(c.env, "COMPDIR="+c.dir, "TERM=xterm")
	out, err := cmd.Output()
	if err != nil {
		c.t.Fatalf("%q: %v\n%s", args, err, out)
	}
	return string(out)
}

// completionCases are what a user typing each line and pressing Tab must be offered
// (want) and must not (not), in every shell.
var completionCases = []struct {
	line      string
	want, not []string
}{
	{"handoff li", []string{"link"}, []string{"signin"}},
	{"handoff mvpd s", []string{"signin", "signout"}, []string{"link"}},
	{"handoff --device ", []string{"phone", "tv2", "lounge", "far"}, nil},
	{"handoff devices --device ", []string{"phone", "tv2", "lounge"}, []string{"--json"}},
	{"handoff --server http://127.0.0.1:1 refresh --device t", []string{"tv2"}, []string{"phone"}},
	{"handoff whoami --keystore ", []string{"auto", "keyring", "kernel", "file", "memory"}, nil},
	{"handoff link --preset ", []string{"iphone", "tizen", "roku"}, nil},
	{"handoff mvpd signin --mvpd ", []string{"Comcast_SSO"}, nil},
	{"handoff --sp ", []string{"demo"}, nil},
	{"handoff unlink ", []string{"tv2", "lounge"}, []string{"phone", "far"}},
	{"handoff mvpd signout --", []string{"--device", "--json"}, []string{"--mvpd", "--user", "--qr"}},
	{"handoff serve --", []string{"--addr", "--memory"}, []string{"--device", "--json", "--server"}},
	{"handoff --ser", []string{"--server"}, nil},
	{"handoff --pl", []string{"--plain"}, nil},
	{"handoff --phone-preset ", []string{"iphone", "android"}, nil},
	{"handoff tv --", []string{"--plain", "--tour", "--device"}, []string{"--json", "--trace", "--memory"}},
	{"handoff completion ", []string{"bash", "zsh", "fish", "powershell"}, nil},
}

func checkCandidates(t *testing.T, shell, line string, got, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%s: %q offers %q; want %q among them", shell, line, got, w)
		}
	}
	for _, n := range not {
		if slices.Contains(got, n) {
			t.Errorf("%s: %q offers %q, which it must not", shell, line, n)
		}
	}
}

func TestCompletionBash(t *testing.T) {
	needTool(t, "bash")
	lib := "/usr/share/bash-completion/bash_completion"
	if _, err := os.Stat(lib); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("bash-completion is not installed (%s); .ci/run installs it", lib)
		}
		t.Skipf("bash-completion is not installed (%s)", lib)
	}
	c := newCompletionShell(t)
	script := c.script("bash", "handoff.bash")
	key := str(t, c.json(exitOK, "whoami", "--device", "tv2"), "key")
	cases := append(completionCases, struct {
		line      string
		want, not []string
	}{"handoff unlink ", []string{key}, nil})
	for _, tc := range cases {
		// COMP_* are what bash sets when Tab is pressed at the end of the line.
		prog := `source ` + lib + `; source ` + script + `
COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
read -r -a COMP_WORDS <<<"$COMP_LINE"; [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
__start_handoff 2>/dev/null
printf '%s\n' "${COMPREPLY[@]}"`
		out := c.shellOut("bash", "-c", prog, "bash", tc.line)
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			// With several candidates bash shows "name  (description)".
			if f := strings.Fields(l); len(f) > 0 {
				got = append(got, f[0])
			}
		}
		checkCandidates(t, "bash", tc.line, got, tc.want, tc.not)
	}
}

func TestCompletionZsh(t *testing.T) {
	needTool(t, "zsh")
	c := newCompletionShell(t)
	c.script("zsh", "_handoff")
	capture, err := filepath.Abs("testdata/capture.zsh")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range completionCases {
		out := c.shellOut("zsh", "-f", capture, tc.line)
		got := strings.Fields(out)
		checkCandidates(t, "zsh", tc.line, got, tc.want, tc.not)
	}
}

func TestCompletionFish(t *testing.T) {
	needTool(t, "fish")
	c := newCompletionShell(t)
	script := c.script("fish", "handoff.fish")
	for _, tc := range completionCases {
		// complete -C asks fish for what Tab offers on that command line.
		out := c.shellOut("fish", "--no-config", "-c", "source "+script+"; complete -C $argv[1]", tc.line)
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			cand, _, _ := strings.Cut(l, "\t")
			got = append(got, cand)
		}
		checkCandidates(t, "fish", tc.line, got, tc.want, tc.not)
	}
}

func TestCompletionPowerShellScript(t *testing.T) {
	r := newShell(t, closedPort(t)).run("completion", "powershell")
	if r.code != exitOK || !strings.Contains(r.stdout, "Register-ArgumentCompleter") || !strings.Contains(r.stdout, "__complete") {
		t.Fatalf("completion powershell: exit %d\n%.300s", r.code, r.stdout)
	}
}
