package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIFlagsBeforeAndAfter: the shared flags work on either side of the command
// name, as in docker, kubectl and tailscale.
func TestCLIFlagsBeforeAndAfter(t *testing.T) {
	url := serve(t)
	sh := newShell(t, closedPort(t)) // HANDOFF_SERVER points at nothing: --server must say
	sh.json(exitOK, "--server", url, "signin", "--sso-id", "mia@example.com")
	code := str(t, sh.json(exitOK, "link", "--server", url), "code")
	joined := sh.run("--json", "--device", "tv", "--server", url, "redeem", code)
	if joined.code != exitOK || !strings.Contains(joined.stdout, `"device":"tv"`) {
		t.Fatalf("flags before redeem: %+v", joined)
	}
	for _, args := range [][]string{
		{"--server", url, "--device", "tv", "devices"},
		{"devices", "--server", url, "--device", "tv"},
		{"--server=" + url, "devices", "--device=tv"},
		{"--device", "tv", "mvpd", "--server", url, "signout"},
	} {
		r := sh.run(append(args, "--json")...)
		if r.code != exitOK || !strings.Contains(r.stdout, `"device":"tv"`) {
			t.Errorf("handoff %q: %+v", args, r)
		}
	}
}

// TestCLIManPage: handoff man writes a page man renders.
func TestCLIManPage(t *testing.T) {
	man := needTool(t, "man")
	needTool(t, "groff")
	sh := newShell(t, closedPort(t))
	r := sh.run("man")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, ".") {
		t.Fatalf("handoff man: exit %d, %.200q", r.code, r.stdout)
	}
	page := filepath.Join(t.TempDir(), "handoff.1")
	if err := os.WriteFile(page, []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(man, "-l", page)
	cmd.Env = append(os.Environ(), "MANWIDTH=100", "MANPAGER=cat", "PAGER=cat")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("man -l: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"NAME", "handoff - see and drive cross-device single sign-on", "Exit codes:", "130", "--server", "signin", "unlink"} {
		if !strings.Contains(text, want) {
			t.Errorf("the rendered man page lacks %q:\n%s", want, text)
		}
	}
}

// TestCLIMemoryStoreSaysWhy: with the memory keystore every command is a new device;
// the step that finds no sign-in says so and how to keep the secrets.
func TestCLIMemoryStoreSaysWhy(t *testing.T) {
	sh := newShell(t, serve(t))
	sh.env = append(sh.env, "HANDOFF_KEYSTORE=memory")
	sh.json(exitOK, "signin", "--sso-id", "noa@example.com")
	r := sh.run("link")
	if r.code != exitRefused || !strings.Contains(r.stderr, "previous command kept them in memory only") || !strings.Contains(r.stderr, "--keystore kernel") {
		t.Errorf("link after signin in the memory store: %+v", r)
	}
	if who := sh.json(exitOK, "whoami"); who["keystore"] != "memory" {
		t.Errorf("whoami does not name the memory store: %v", who)
	}
	if st := sh.run("status"); st.code != exitOK || !strings.Contains(st.stdout, "memory") {
		t.Errorf("status in the memory store: %+v", st)
	}
}

// TestGoBuildVersionCarriesTheCommit: a plain go build with VCS stamping on takes the
// commit from the build info (the ldflags are for builds without it). The go command
// stamps only a checkout whose .git is a directory, so the test builds from a clone of
// this commit (a git worktree has a .git file).
func TestGoBuildVersionCarriesTheCommit(t *testing.T) {
	handoffBinary(t) // for builtCommit
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(t.TempDir(), "src")
	for _, args := range [][]string{
		{"git", "clone", "--quiet", "--no-checkout", strings.TrimSpace(string(top)), clone},
		{"git", "-C", clone, "checkout", "--quiet", builtCommit},
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%q: %v\n%s", args, err, out)
		}
	}
	bin := filepath.Join(t.TempDir(), "handoff")
	build := exec.Command("go", "build", "-o", bin, "./cmd/handoff")
	build.Dir = clone
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=true")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -buildvcs=true: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil || !strings.Contains(string(out), "("+builtCommit[:7]+")") || !strings.Contains(string(out), "built ") {
		t.Errorf("--version of a go build: %q (%v); want commit %s and its date", out, err, builtCommit[:7])
	}
}

// TestCLISetUpFailuresExit2: a data directory or keystore that cannot be used is fixed
// on this machine, as a usage error is: exit 2, and the reason in words.
func TestCLISetUpFailuresExit2(t *testing.T) {
	sh := newShell(t, closedPort(t))
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := sh.run("serve", "--data", file, "--addr", "127.0.0.1:0"); r.code != exitUsage || !strings.Contains(r.stderr, "a file stands where a directory should be") {
		t.Errorf("serve on a data directory that is a file: %+v", r)
	}
	// The file keystore where its directory is a file.
	sh.env = append(sh.env, "XDG_CONFIG_HOME="+file)
	r := sh.run("whoami", "--json")
	if r.code != exitUsage || !strings.Contains(r.stdout, `"code":"keystore_unavailable"`) {
		t.Errorf("whoami with a file keystore that cannot be written: %+v", r)
	}
}
