// Package keyringtest runs tests against a real Secret Service without touching the
// developer's: the test binary runs one of its tests again in a child process, with a
// temporary HOME, XDG directories and TMPDIR, and (with UnderKeyring) a private session
// bus carrying an unlocked gnome-keyring.
//
// A child process is needed because go-keyring talks through godbus' process-wide
// session bus connection, opened once and cached: each situation (a real keyring, no
// bus, a hung keyring) needs a process of its own.
package keyringtest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childVar names, in a child's environment, the one test the child is to run.
const childVar = "HANDOFF_KEYRINGTEST_CHILD"

// Tools are the programs a real Secret Service takes; Packages the Debian packages
// that hold them.
var Tools = []string{"dbus-run-session", "gnome-keyring-daemon", "secret-tool"}

const Packages = "gnome-keyring dbus libsecret-tools"

// UnderKeyring is a wrapper for RunChild: a private session bus and an unlocked
// gnome-keyring on it (password "pw"; a fresh HOME gets its "login" collection), then
// the child. gnome-keyring-daemon quits when the bus does, when the child ends.
var UnderKeyring = []string{"dbus-run-session", "--", "sh", "-c",
	`printf pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null && exec "$@"`, "sh"}

// InChild skips the test unless a parent test started this process for it.
func InChild(t *testing.T) {
	t.Helper()
	if os.Getenv(childVar) != t.Name() {
		t.Skip("runs only in a subprocess started by the test of the same name without 'Child'")
	}
}

// NeedTools fails in CI (CI set) and skips elsewhere when a Secret Service tool is
// missing, naming the packages to install.
func NeedTools(t *testing.T) {
	t.Helper()
	var missing []string
	for _, tool := range Tools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI: %s missing; install %s (.ci/run does)", strings.Join(missing, ", "), Packages)
	}
	t.Skipf("needs %s: install them with 'apt-get install %s'", strings.Join(missing, ", "), Packages)
}

// NeedKeyctl fails in CI (CI set) and skips elsewhere when keyctl, which reads the
// kernel keyring from outside the store under test, is missing.
func NeedKeyctl(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("keyctl"); err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI: keyctl missing; install keyutils (.ci/run does)")
	}
	t.Skip("needs keyctl: install it with 'apt-get install keyutils'")
}

// Keyctl runs a shell script in a new process, in a session keyring of its own (so
// that the caller's is left alone) in which the user's persistent keyring (or, on a
// kernel without it, the user keyring) is linked as $P: the keys found from there are
// possessed, so keyctl may read them. args are the script's $1, $2…
func Keyctl(script string, args ...string) (string, error) {
	full := `P=$(keyctl get_persistent @s 2>/dev/null) || P=$(keyctl link @u @s && echo @u) || exit 1
` + script
	cmd := exec.Command("keyctl", append([]string{"session", "-", "sh", "-c", full, "sh"}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("%v: %s", err, strings.TrimSpace(strings.ReplaceAll(errOut.String(), "Joined session keyring", "")))
	}
	return out.String(), nil
}

// BusDaemons counts the running dbus-daemon and gnome-keyring-daemon processes, from
// /proc: all of them (every user's, other tests' too), and those whose environment
// has HOME=home, which a bus launched by a process of that home (and the keyring it
// activates) inherit.
func BusDaemons(t *testing.T, home string) (all, ours int) {
	t.Helper()
	comms, err := filepath.Glob("/proc/[0-9]*/comm")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range comms {
		raw, err := os.ReadFile(c)
		if err != nil {
			continue // the process ended meanwhile
		}
		switch strings.TrimSpace(string(raw)) {
		case "dbus-daemon", "gnome-keyring-d": // comm keeps 15 bytes of the name
		default:
			continue
		}
		environ, err := os.ReadFile(filepath.Join(filepath.Dir(c), "environ"))
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH) {
			continue // ended meanwhile
		}
		if err != nil {
			t.Fatalf("cannot tell whose %s is: %v", c, err)
		}
		all++
		if slices.Contains(strings.Split(string(environ), "\x00"), "HOME="+home) {
			ours++
		}
	}
	return all, ours
}

// Tripwire puts a dbus-launch first on a PATH for the child that leaves a mark in
// Root when anything runs it (godbus' autolaunch does); Launched tells whether it ran.
func (s *Sandbox) Tripwire(t *testing.T) []string {
	t.Helper()
	bin := filepath.Join(s.Root, "tripwire")
	if err := os.Mkdir(bin, 0o700); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\necho \"$0 $*\" >>" + filepath.Join(s.Root, "dbus-launch-ran") + "\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "dbus-launch"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}
}

// Launched tells whether the tripwire's dbus-launch ran.
func (s *Sandbox) Launched() bool {
	_, err := os.Stat(filepath.Join(s.Root, "dbus-launch-ran"))
	return err == nil
}

// Sandbox is a temporary home for a child process.
type Sandbox struct {
	Root   string // holds everything below, and the runtime and temporary directories
	Home   string
	Config string // XDG_CONFIG_HOME
	Data   string // XDG_DATA_HOME, where gnome-keyring keeps its keyrings
	env    []string
}

// NewSandbox makes the directories. Without a wrapper that starts a bus, the child's
// DBUS_SESSION_BUS_ADDRESS points at a socket that does not exist: no keyring.
func NewSandbox(t *testing.T) *Sandbox {
	t.Helper()
	root := t.TempDir()
	s := &Sandbox{Root: root, Home: filepath.Join(root, "home")}
	s.Config = filepath.Join(s.Home, ".config")
	s.Data = filepath.Join(s.Home, ".local", "share")
	dirs := [][2]string{
		{"HOME", s.Home},
		{"XDG_CONFIG_HOME", s.Config},
		{"XDG_DATA_HOME", s.Data},
		{"XDG_CACHE_HOME", filepath.Join(s.Home, ".cache")},
		{"XDG_RUNTIME_DIR", filepath.Join(root, "run")},
		{"TMPDIR", filepath.Join(root, "tmp")},
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d[1], 0o700); err != nil {
			t.Fatal(err)
		}
		s.env = append(s.env, d[0]+"="+d[1])
	}
	s.env = append(s.env, "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(root, "run", "no-bus"))
	return s
}

// WithoutBus takes DBUS_SESSION_BUS_ADDRESS out of the child's environment, so that
// only its empty XDG_RUNTIME_DIR could name a bus: a box with no desktop session.
func (s *Sandbox) WithoutBus() *Sandbox {
	s.env = slices.DeleteFunc(s.env, func(kv string) bool { return strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") })
	return s
}

// RunChild runs test in a new process of this test binary, through wrapper when given,
// with the sandbox's environment plus extra (which wins); it fails t unless the child
// test ran and passed, and returns the child's output.
func (s *Sandbox) RunChild(t *testing.T, test string, extra []string, wrapper ...string) string {
	t.Helper()
	args := append(append([]string{}, wrapper...), os.Args[0], "-test.run=^"+test+"$", "-test.v", "-test.count=1", "-test.timeout=2m")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(append(append(inheritedEnv(), s.env...), extra...), childVar+"="+test)
	cmd.WaitDelay = 10 * time.Second // a daemon left holding the output pipe must not hang the test
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS: "+test)) {
		t.Fatalf("child %s: %v\n%s", test, err, out)
	}
	if testing.Verbose() {
		t.Logf("child %s:\n%s", test, out)
	}
	return string(out)
}

// inheritedEnv is this process's environment without what locates a home, a bus or a
// keyring.
func inheritedEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "HOME", name == "TMPDIR", strings.HasPrefix(name, "XDG_"), strings.HasPrefix(name, "DBUS_"),
			name == "DISPLAY", name == "WAYLAND_DISPLAY", strings.HasPrefix(name, "GNOME_KEYRING"),
			name == "SSH_AUTH_SOCK", name == childVar:
			continue
		}
		env = append(env, kv)
	}
	return env
}

// FilesContaining lists the regular files under root whose content holds token.
func FilesContaining(t *testing.T, root, token string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(raw, []byte(token)) {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("scanning %s: %v", root, err)
	}
	return found
}

// SecretTool runs secret-tool in the child's session, from outside the store under
// test. It prints secrets on stdout and, for search, attributes on stderr: both are
// returned.
func SecretTool(stdin string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command("secret-tool", args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// Lookup is the secret stored for username under service, as secret-tool sees it; ok
// is false when there is none.
func Lookup(service, username string) (secret string, ok bool) {
	out, _, err := SecretTool("", "lookup", "service", service, "username", username)
	return out, err == nil
}

// Search is secret-tool's listing (secrets and attributes) of the entries of service
// that have the attributes given as name, value pairs; "" when there are none.
func Search(service string, attrs ...string) string {
	out, attributes, _ := SecretTool("", append([]string{"search", "--all", "service", service}, attrs...)...)
	return out + attributes
}
