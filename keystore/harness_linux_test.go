//go:build linux

package keystore

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The tests of this file that need a Secret Service run the test binary again, as a
// child process, under a private session bus: go-keyring talks to the process-wide
// session bus connection of godbus, which is opened once and cached, so each situation
// (a real keyring, no bus, a hung keyring) gets a fresh process. Every child gets a
// temporary HOME, XDG directories and TMPDIR, so that neither the developer's keyring
// nor their home is touched.

// childVar names, in a child's environment, the one test the child is to run.
const childVar = "HANDOFF_KEYSTORE_TEST_CHILD"

// keyringTools are what a real Secret Service takes, with the Debian packages that
// hold them.
var keyringTools = []string{"dbus-run-session", "gnome-keyring-daemon", "secret-tool"}

const keyringPackages = "gnome-keyring dbus libsecret-tools"

// underKeyring starts a private session bus and an unlocked gnome-keyring on it
// (password "pw"; the "login" collection is created on first use of a fresh HOME),
// then runs the command that follows it. gnome-keyring-daemon quits when the bus does.
var underKeyring = []string{"dbus-run-session", "--", "sh", "-c",
	`printf pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null && exec "$@"`, "sh"}

// inChild skips the test unless its parent test started this process for it.
func inChild(t *testing.T) {
	if os.Getenv(childVar) != t.Name() {
		t.Skip("runs only in a subprocess started by the test of the same name without 'Child'")
	}
}

// needKeyringTools fails in CI and skips elsewhere when the Secret Service tools are
// missing.
func needKeyringTools(t *testing.T) {
	t.Helper()
	var missing []string
	for _, tool := range keyringTools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI: %s missing; install %s (.ci/run does)", strings.Join(missing, ", "), keyringPackages)
	}
	t.Skipf("needs %s: install them with 'apt-get install %s'", strings.Join(missing, ", "), keyringPackages)
}

// sandbox is a temporary home for a child process.
type sandbox struct {
	root, home, config string
	env                []string
}

func newSandbox(t *testing.T) *sandbox {
	root := t.TempDir()
	s := &sandbox{root: root, home: filepath.Join(root, "home"), config: filepath.Join(root, "home", ".config")}
	dirs := map[string]string{
		"HOME":            s.home,
		"XDG_CONFIG_HOME": s.config,
		"XDG_DATA_HOME":   filepath.Join(s.home, ".local", "share"),
		"XDG_CACHE_HOME":  filepath.Join(s.home, ".cache"),
		"XDG_RUNTIME_DIR": filepath.Join(root, "run"),
		"TMPDIR":          filepath.Join(root, "tmp"),
	}
	for name, dir := range dirs {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		s.env = append(s.env, name+"="+dir)
	}
	// No bus unless a test says otherwise (dbus-run-session sets its own).
	s.env = append(s.env, "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(root, "run", "no-bus"))
	return s
}

// runChild runs test in a new process of this test binary, through wrapper when given,
// with the sandbox's environment plus extra; it fails t unless the child test passed.
func runChild(t *testing.T, s *sandbox, test string, extra []string, wrapper ...string) string {
	t.Helper()
	args := append(append([]string{}, wrapper...), os.Args[0], "-test.run=^"+test+"$", "-test.v", "-test.count=1", "-test.timeout=2m")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(append(inheritedEnv(), s.env...), extra...)
	cmd.Env = append(cmd.Env, childVar+"="+test)
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

// filesContaining lists the regular files under root whose content holds token.
func filesContaining(t *testing.T, root, token string) []string {
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

// secretTool runs secret-tool in the child's session, from outside the store. It
// prints secrets on stdout and, for search, attributes on stderr: both are returned.
func secretTool(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command("secret-tool", args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}
