package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	if code := runCompletion(t.Context(), e, []string{shell}); code != exitOK {
		t.Fatalf("completion %s: exit %d, %s", shell, code, stderr.String())
	}
	return stdout.String()
}

func TestCompletionNamesEveryCommandAndFlag(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		script := completionScript(t, shell)
		for name := range commands {
			if name != "ui" && !strings.Contains(script, name) {
				t.Errorf("%s completion does not know the command %q", shell, name)
			}
		}
		for _, flag := range []string{"--qr", "--png", "--link-url", "--sso-id", "--all-others", "--device", "--json"} {
			if shell == "fish" {
				flag = "-l " + strings.TrimPrefix(flag, "--")
			}
			if !strings.Contains(script, flag) {
				t.Errorf("%s completion lacks %s", shell, flag)
			}
		}
		if !strings.Contains(script, "iphone") || !strings.Contains(script, "tizen") {
			t.Errorf("%s completion does not offer the presets", shell)
		}
	}
}

func TestCompletionScriptsParse(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		path, err := exec.LookPath(shell)
		if err != nil {
			if shell == "bash" {
				t.Fatal("bash is missing")
			}
			t.Logf("%s not installed: its script is not syntax-checked", shell)
			continue
		}
		file := filepath.Join(t.TempDir(), "handoff."+shell)
		if err := os.WriteFile(file, []byte(completionScript(t, shell)), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(path, "-n", file).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", shell, err, out)
		}
	}
}

func TestBashCompletionCompletes(t *testing.T) {
	script := completionScript(t, "bash")
	for _, tc := range []struct{ line, want, not string }{
		{"handoff li", "link", "signin"},
		{"handoff link --p", "--png", "--qr"},
		{"handoff link --preset ip", "iphone", "android"},
		{"handoff completion z", "zsh", "bash"},
		{"handoff mvpd s", "signout", "profiles"},
		{"handoff mvpd signin --m", "--mvpd", "--qr"},
		{"handoff mvpd signin --mvpd Co", "Comcast_SSO", "Dish"},
		{"handoff redeem 123456 --dev", "--device", "--all-others"},
	} {
		words := strings.Fields(tc.line)
		prog := script + `
COMP_WORDS=(` + strings.Join(words, " ") + `)
COMP_CWORD=` + strconv.Itoa(len(words)-1) + `
_handoff
printf '%s\n' "${COMPREPLY[@]}"
`
		out, err := exec.Command("bash", "-c", prog).CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", tc.line, err, out)
		}
		got := strings.Fields(string(out))
		if !slices.Contains(got, tc.want) || slices.Contains(got, tc.not) {
			t.Errorf("%q completes to %q; want %q and not %q", tc.line, got, tc.want, tc.not)
		}
	}
}

func TestCompletionNeedsAShell(t *testing.T) {
	for _, args := range [][]string{nil, {"powershell"}, {"bash", "zsh"}} {
		var stdout, stderr bytes.Buffer
		e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
		if code := runCompletion(t.Context(), e, args); code != exitUsage || stdout.Len() != 0 || !strings.Contains(stderr.String(), "bash, zsh or fish") {
			t.Errorf("completion %q: exit %d, stdout %q, stderr %q", args, code, stdout.String(), stderr.String())
		}
	}
}
