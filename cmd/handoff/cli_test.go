package main

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests in this file run the built handoff binary, as a tester's shell script
// would, against a real `handoff serve` process on a loopback port.

var (
	buildOnce   sync.Once
	builtBin    string
	builtCommit string
	buildErr    error
)

// handoffBinary builds cmd/handoff once per test run. Without a TestMain (the package's
// tests belong to several people) nothing runs after the last test, so each run
// removes the binaries that runs of more than an hour ago left behind.
func handoffBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		old, _ := filepath.Glob(filepath.Join(os.TempDir(), "handoff-cli-test-*"))
		for _, dir := range old {
			if info, err := os.Stat(dir); err == nil && time.Since(info.ModTime()) > time.Hour {
				os.RemoveAll(dir)
			}
		}
		dir, err := os.MkdirTemp("", "handoff-cli-test-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "handoff")
		// As make build does: the commit goes in by -ldflags, since this environment
		// may build with -buildvcs=false.
		rev, err := exec.Command("git", "rev-parse", "HEAD").Output()
		if err != nil {
			buildErr = fmt.Errorf("git rev-parse HEAD: %v", err)
			return
		}
		builtCommit = strings.TrimSpace(string(rev))
		out, err := exec.Command("go", "build", "-ldflags", "-X main.commit="+builtCommit+" -X main.version=v0.0.0-test", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("building handoff: %v", buildErr)
	}
	return builtBin
}

// shell is a tester's terminal: a private home, config and state directory, secrets in
// the file keystore there so that devices persist between invocations, and no keyring.
type shell struct {
	t      *testing.T
	bin    string
	server string
	env    []string
}

func newShell(t *testing.T, server string) *shell {
	home := t.TempDir()
	return &shell{t: t, bin: handoffBinary(t), server: server, env: []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"HANDOFF_KEYSTORE=file",
		"HANDOFF_SERVER=" + server,
	}}
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs handoff with args and returns its exit code and output.
func (s *shell) run(args ...string) result {
	s.t.Helper()
	return s.runWith(nil, "", args...)
}

// json runs handoff with --json, checks the exit code, and decodes the one JSON
// object on stdout.
func (s *shell) json(want int, args ...string) map[string]any {
	s.t.Helper()
	r := s.run(append(args, "--json")...)
	if r.code != want {
		s.t.Fatalf("handoff %q: exit %d, want %d\nstdout: %s\nstderr: %s", args, r.code, want, r.stdout, r.stderr)
	}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		s.t.Fatalf("handoff %q: stdout is not one JSON object: %v\n%s", args, err, r.stdout)
	}
	if dec.More() {
		s.t.Fatalf("handoff %q: more than one JSON value on stdout:\n%s", args, r.stdout)
	}
	return obj
}

// serve starts `handoff serve --memory` on a free loopback port, waits until it is
// healthy, and stops it at the end of the test.
func serve(t *testing.T) string {
	t.Helper()
	url, _ := serveStoppable(t)
	return url
}

// serveStoppable is serve with a stop function for tests that take the server away.
func serveStoppable(t *testing.T, flags ...string) (url string, stop func()) {
	t.Helper()
	url, _, stop = serveWithEnv(t, nil, flags...)
	return url, stop
}

// serveWithEnv starts `handoff serve --memory` with flags, and extraEnv on top of a
// bare PATH and HOME, waits until it is healthy, and returns its output beside the
// URL and stop.
func serveWithEnv(t *testing.T, extraEnv []string, flags ...string) (url string, logs *serveOutput, stop func()) {
	t.Helper()
	addr := freeAddr(t)
	env := append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, extraEnv...)
	logs, exited, stop := startServeProcess(t, handoffBinary(t), env, append([]string{"serve", "--memory", "--addr", addr}, flags...)...)
	base := "http://" + addr
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(base + "/sandbox/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, logs, stop
			}
		}
		select {
		case <-exited:
			t.Fatalf("handoff serve exited:\n%s", logs.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("handoff serve not healthy after 15s:\n%s", logs.String())
		}
	}
}

// closedPort is a loopback URL where nothing listens.
func closedPort(t *testing.T) string {
	return "http://" + freeAddr(t)
}

// freeAddr is a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startServeProcess starts the built handoff (serve, with args) with env; its stop,
// also run at the test's end, sends SIGTERM by PID and waits (a kill after 10s).
// exited is closed when the process ends; its output is logged when the test failed.
func startServeProcess(t *testing.T, bin string, env []string, args ...string) (logs *serveOutput, exited <-chan struct{}, stop func()) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	logs = &serveOutput{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-done
			}
		})
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("handoff serve output:\n%s", logs.String())
		}
	})
	return logs, done, stop
}

func str(t *testing.T, obj map[string]any, key string) string {
	t.Helper()
	v, ok := obj[key].(string)
	if !ok {
		t.Fatalf("%q is not a string in %v", key, obj)
	}
	return v
}

func errorCode(t *testing.T, obj map[string]any) string {
	t.Helper()
	e, ok := obj["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %v", obj)
	}
	code, _ := e["code"].(string)
	return code
}

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

func TestCLIFlowTwoDevices(t *testing.T) {
	sh := newShell(t, serve(t))

	tok := sh.json(exitOK, "signin", "--sso-id", "alice@example.com")
	if tok["status"] != "CREATED" || tok["device"] != "phone" || str(t, tok, "serviceToken") == "" {
		t.Fatalf("signin: %v", tok)
	}

	link := sh.json(exitOK, "link")
	code := str(t, link, "code")
	if !sixDigits.MatchString(code) || link["device"] != "phone" {
		t.Fatalf("link: %v", link)
	}
	if got, want := str(t, link, "linkUrl"), sh.server+"/sandbox/link?code="+code; got != want {
		t.Errorf("linkUrl = %q, want %q", got, want)
	}
	if nb, na := link["notBefore"].(float64), link["notAfter"].(float64); !(na > nb && nb > 0) {
		t.Errorf("link times: %v", link)
	}

	// The TV types the code the way people read it.
	joined := sh.json(exitOK, "redeem", code[:3]+" "+code[3:], "--device", "tv")
	if joined["status"] != "CREATED" || joined["device"] != "tv" {
		t.Fatalf("redeem: %v", joined)
	}

	phoneKey := str(t, sh.json(exitOK, "whoami"), "key")
	tv := sh.json(exitOK, "whoami", "--device", "tv")
	tvKey := str(t, tv, "key")
	if tv["sub"] != "alice@example.com" || tv["joinedVia"] != "sso" || tv["keystore"] != "file" || tv["signedIn"] != true {
		t.Errorf("whoami tv: %v", tv)
	}
	for k := range tv {
		if strings.Contains(strings.ToLower(k), "token") && k != "notAfter" {
			t.Errorf("whoami shows %q", k)
		}
	}

	list := sh.json(exitOK, "devices")
	devices, _ := list["devices"].(map[string]any)
	if len(devices) != 2 || devices[phoneKey] == nil || devices[tvKey] == nil || list["device"] != "phone" {
		t.Fatalf("devices: %v (phone %s, tv %s)", list, phoneKey, tvKey)
	}
	if typ := devices[tvKey].(map[string]any)["type"]; typ != "sso" {
		t.Errorf("the TV joined as %v, want sso", typ)
	}
	if typ := devices[phoneKey].(map[string]any)["type"]; typ != "regular" {
		t.Errorf("the phone joined as %v, want regular", typ)
	}

	human := sh.run("devices", "--device", "tv")
	if human.code != exitOK {
		t.Fatalf("devices: %+v", human)
	}
	for _, line := range strings.Split(human.stdout, "\n") {
		if strings.HasPrefix(line, tvKey) != strings.HasSuffix(line, "this device") {
			t.Errorf("'this device' marks the wrong row: %q", line)
		}
	}

	unlinked := sh.json(exitOK, "unlink", tvKey, "--yes")
	if got, _ := unlinked["unlinkedDevices"].([]any); len(got) != 1 || got[0] != tvKey {
		t.Fatalf("unlink: %v", unlinked)
	}

	refused := sh.run("refresh", "--device", "tv", "--json")
	if refused.code != exitRefused {
		t.Fatalf("the unlinked TV's refresh: exit %d, want 1\n%s\n%s", refused.code, refused.stdout, refused.stderr)
	}
	var apiErr map[string]any
	if err := json.Unmarshal([]byte(refused.stdout), &apiErr); err != nil {
		t.Fatalf("refresh stdout: %v\n%s", err, refused.stdout)
	}
	if errorCode(t, apiErr) != "unauthorized" || apiErr["device"] != "tv" || apiErr["status"] != "UNAUTHORIZED" {
		t.Errorf("refresh error: %v", apiErr)
	}
	if !strings.Contains(refused.stderr, "unlinked") {
		t.Errorf("stderr does not say the TV was unlinked: %q", refused.stderr)
	}

	after := sh.json(exitOK, "devices")
	if devices, _ := after["devices"].(map[string]any); len(devices) != 1 || devices[phoneKey] == nil {
		t.Errorf("devices after unlink: %v", after)
	}
	if tv := sh.json(exitOK, "whoami", "--device", "tv"); tv["unlinked"] != true {
		t.Errorf("whoami after unlink: %v", tv)
	}

	// A spent code is refused by the server: exit 1 with the API's code.
	spent := sh.json(exitRefused, "redeem", code, "--device", "tv2")
	if errorCode(t, spent) != "invalid_parameter_code" || spent["device"] != "tv2" {
		t.Errorf("spent code: %v", spent)
	}
	// The phone can still refresh.
	if again := sh.json(exitOK, "refresh"); again["status"] != "OK" {
		t.Errorf("phone refresh: %v", again)
	}
}

func TestCLIUnlinkAllOthers(t *testing.T) {
	sh := newShell(t, serve(t))
	sh.json(exitOK, "signin", "--sso-id", "bob@example.com")
	for _, tv := range []string{"tv", "tv2"} {
		code := str(t, sh.json(exitOK, "link"), "code")
		sh.json(exitOK, "redeem", code, "--device", tv)
	}
	// Without a terminal to ask on, unlinking other devices needs --yes.
	if r := sh.run("unlink", "--all-others"); r.code != exitUsage || !strings.Contains(r.stderr, "needs --yes") {
		t.Fatalf("unlink --all-others without --yes and without a terminal: %+v", r)
	}
	res := sh.json(exitOK, "unlink", "--all-others", "--yes")
	if got, _ := res["unlinkedDevices"].([]any); len(got) != 2 {
		t.Fatalf("unlink --all-others: %v", res)
	}
	if list := sh.json(exitOK, "devices"); len(list["devices"].(map[string]any)) != 1 {
		t.Errorf("devices after unlink --all-others: %v", list)
	}
	stranger := sh.run("unlink", "bm90LWEtZGV2aWNl", "-y")
	if stranger.code != exitOK || !strings.Contains(stranger.stdout, "nothing was unlinked") || !strings.Contains(stranger.stdout, "left alone:\n  bm90LWEtZGV2aWNl") {
		t.Errorf("unlink of a key outside the profile: %+v", stranger)
	}
	none := sh.run("unlink", "--all-others", "--yes")
	if none.code != exitOK || !strings.Contains(none.stdout, "no other device") {
		t.Errorf("nothing left to unlink: %+v", none)
	}
}

func TestCLIExitCodes(t *testing.T) {
	sh := newShell(t, serve(t))
	sh.json(exitOK, "signin", "--sso-id", "carol@example.com")

	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"signin", "--bogus"}, "unknown flag --bogus"},
		{[]string{"signin", "--sso-di", "x"}, "did you mean --sso-id?"},
		{[]string{"sigin", "--sso-id", "x"}, "did you mean signin?"},
		{[]string{"link", "--timeout", "soon"}, "--timeout takes a duration"},
		{[]string{"devices", "--keystore", "vault"}, "choose one of auto, keyring, kernel, file, memory"},
		{[]string{"status", "--device", "tv"}, "--device is not for status"},
		{[]string{"help", "sigin"}, "did you mean signin?"},
		{[]string{"signin"}, "--sso-id"},
		{[]string{"redeem"}, "code"},
		{[]string{"redeem", "123"}, "4 to 32 letters or digits"},
		{[]string{"redeem", "12#456"}, "only letters and digits"},
		{[]string{"redeem", strings.Repeat("7", 33)}, "4 to 32 letters or digits"},
		{[]string{"unlink"}, "--all-others"},
		{[]string{"unlink", "--all-others", "somekey"}, "not both"},
		{[]string{"link", "--link-url", "https://example.com/activate"}, "{code}"},
		{[]string{"link", "--png", "/no/such/dir/qr.png"}, "does not exist"},
		{[]string{"devices", "--preset", "walkman"}, "unknown preset"},
		{[]string{"devices", "--keystore", "vault"}, "vault"},
		{[]string{"devices", "--device", "bad name!"}, "device name"},
		{[]string{"devices", "extra"}, "no arguments"},
		{[]string{"nosuchcommand"}, "unknown command"},
		// The screens refuse to draw where nobody sees them (stdout is a pipe here).
		{[]string{"--memory"}, "needs a terminal"},
		{[]string{"phone"}, "needs a terminal"},
		{[]string{"tv", "--server", sh.server}, "needs a terminal"},
	} {
		r := sh.run(tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.says) {
			t.Errorf("handoff %q: exit %d, stderr %q; want 2 saying %q", tc.args, r.code, r.stderr, tc.says)
		}
	}
	// A usage error is still one JSON object with --json, whether the command found it
	// or cobra did (before the flags were all read).
	if bad := sh.json(exitUsage, "redeem", "12-3", "--device", "tv"); errorCode(t, bad) != "usage" || bad["device"] != "tv" {
		t.Errorf("bad code --json: %v", bad)
	}
	for _, args := range [][]string{{"signin", "--bogus"}, {"--json=true", "nosuchcommand"}, {"mvpd", "dance"}, {"devices", "--timeout", "0s"}} {
		r := sh.run(append(args, "--json")...)
		var obj map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &obj); err != nil || r.code != exitUsage || errorCode(t, obj) != "usage" {
			t.Errorf("handoff %q --json: exit %d, stdout %q (%v)", args, r.code, r.stdout, err)
		}
	}

	// Help goes to stdout and spells flags --name.
	for _, tc := range []struct {
		args []string
		use  string
	}{
		{[]string{"signin", "--help"}, "handoff signin --sso-id ID"},
		{[]string{"link", "-h"}, "handoff link"},
		{[]string{"help", "redeem"}, "handoff redeem CODE"},
		{[]string{"--server", sh.server, "help", "unlink"}, "handoff unlink KEY|DEVICE"},
	} {
		r := sh.run(tc.args...)
		if r.code != exitOK || !strings.Contains(r.stdout, tc.use) || !strings.Contains(r.stdout, "--device") || r.stderr != "" {
			t.Errorf("handoff %q: exit %d, stdout %q, stderr %q", tc.args, r.code, r.stdout, r.stderr)
		}
	}
	if r := sh.run("help"); r.code != exitOK || !strings.Contains(r.stdout, "Exit codes:") || !strings.Contains(r.stdout, "130") {
		t.Errorf("handoff help: %+v", r)
	}
	for _, args := range [][]string{{"--version"}, {"-v"}, {"version"}} {
		if r := sh.run(args...); r.code != exitOK || !strings.HasPrefix(r.stdout, "handoff v0.0.0-test ("+builtCommit[:7]+")") {
			t.Errorf("handoff %q does not carry the commit %s: %+v", args, builtCommit[:7], r)
		}
	}

	// The server refuses: 1.
	if nb := sh.json(exitRefused, "redeem", "000000", "--device", "tv"); errorCode(t, nb) != "invalid_parameter_code" {
		t.Errorf("wrong code: %v", nb)
	}
	if ns := sh.json(exitRefused, "link", "--device", "never-signed-in"); errorCode(t, ns) != "not_signed_in" {
		t.Errorf("link before signin: %v", ns)
	}

	// Nothing listens: 3.
	down := closedPort(t)
	if obj := sh.json(exitUnreachable, "signin", "--sso-id", "dave@example.com", "--server", down); errorCode(t, obj) != "unreachable" {
		t.Errorf("signin against a closed port: %v", obj)
	}
	r := sh.run("signin", "--sso-id", "dave@example.com", "--server", down)
	if r.code != exitUnreachable || !strings.Contains(r.stderr, "Cannot reach") || r.stdout != "" {
		t.Errorf("signin against a closed port, human: %+v", r)
	}
}

func TestCLIServerGoneAway(t *testing.T) {
	url, stop := serveStoppable(t)
	sh := newShell(t, url)
	sh.json(exitOK, "signin", "--sso-id", "frank@example.com")
	stop()
	for _, args := range [][]string{{"refresh"}, {"devices"}, {"link"}, {"unlink", "--all-others"}} {
		if obj := sh.json(exitUnreachable, args...); errorCode(t, obj) != "unreachable" || obj["device"] != "phone" {
			t.Errorf("handoff %q with the server gone: %v", args, obj)
		}
	}
	if who := sh.json(exitOK, "whoami"); who["sub"] != "frank@example.com" {
		t.Errorf("whoami needs no server: %v", who)
	}
}

func TestCLILinkPNGDecodesToTheLinkURL(t *testing.T) {
	sh := newShell(t, serve(t))
	sh.json(exitOK, "signin", "--sso-id", "erin@example.com")
	dir := t.TempDir()

	file := filepath.Join(dir, "link.png")
	link := sh.json(exitOK, "link", "--png", file)
	want := sh.server + "/sandbox/link?code=" + str(t, link, "code")
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("PNG %s: %v %v", file, info, err)
	}
	if got := zbarimg(t, file); got != want {
		t.Errorf("zbarimg read %q, want exactly %q", got, want)
	}

	custom := filepath.Join(dir, "custom.png")
	r := sh.run("link", "--png", custom, "--qr", "--link-url", "https://tv.example.com/activate?code={code}&from=cli")
	if r.code != exitOK {
		t.Fatalf("link --qr --png: %+v", r)
	}
	code := regexp.MustCompile(`(?m)^([0-9]{3}) ([0-9]{3}) `).FindStringSubmatch(r.stdout)
	if code == nil {
		t.Fatalf("no grouped code in:\n%s", r.stdout)
	}
	want = "https://tv.example.com/activate?code=" + code[1] + code[2] + "&from=cli"
	if !strings.Contains(r.stdout, "█") {
		t.Errorf("no big digits in:\n%s", r.stdout)
	}
	var qrLines []string
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(line, "\x1b[") {
			qrLines = append(qrLines, line)
		}
	}
	if len(qrLines) == 0 {
		t.Fatalf("no QR image in:\n%s", r.stdout)
	}
	if got := scanModules(t, decodeTerminalQR(t, strings.Join(qrLines, "\n"))); got != want {
		t.Errorf("zbarimg read the terminal QR as %q, want exactly %q", got, want)
	}
	if got := zbarimg(t, custom); got != want {
		t.Errorf("zbarimg read %q, want exactly %q", got, want)
	}
}

func TestCLITVProviderAndRoku(t *testing.T) {
	sh := newShell(t, serve(t))
	sh.json(exitOK, "signin", "--sso-id", "grace@example.com")
	login := sh.json(exitOK, "mvpd", "signin", "--mvpd", "Comcast_SSO", "--user", "jdoe")
	if login["mvpd"] != "Comcast_SSO" || login["userId"] != "jdoe" || login["device"] != "phone" {
		t.Fatalf("mvpd signin: %v", login)
	}
	code := str(t, sh.json(exitOK, "link"), "code")
	sh.json(exitOK, "redeem", code, "--device", "tv")

	profiles := sh.json(exitOK, "profiles", "--device", "tv")
	comcast, _ := profiles["profiles"].(map[string]any)["Comcast_SSO"].(map[string]any)
	if comcast == nil || comcast["type"] != "serviceTokenSSO" || profiles["device"] != "tv" {
		t.Fatalf("the TV's profiles: %v", profiles)
	}
	if user := comcast["attributes"].(map[string]any)["userID"].(map[string]any)["value"]; user != "jdoe" {
		t.Errorf("userID = %v", user)
	}
	if mine := sh.json(exitOK, "profiles"); mine["profiles"].(map[string]any)["Comcast_SSO"].(map[string]any)["type"] != "regular" {
		t.Errorf("the phone's profiles: %v", mine)
	}

	// --json is the v1 answer as the server wrote it.
	authn := sh.json(exitOK, "authn", "--device", "tv")
	if authn["mvpd"] != "Comcast_SSO" || authn["userId"] != "jdoe" || authn["requestor"] != "demo" || authn["device"] != "tv" {
		t.Errorf("authn: %v", authn)
	}
	// Without --json, --xml prints the XML the server sent.
	r := sh.run("authn", "--device", "tv", "--xml")
	var doc struct {
		XMLName   xml.Name `xml:"authentication"`
		Expires   string   `xml:"expires"`
		UserID    string   `xml:"userId"`
		MVPD      string   `xml:"mvpd"`
		Requestor string   `xml:"requestor"`
	}
	if err := xml.Unmarshal([]byte(r.stdout), &doc); r.code != exitOK || err != nil {
		t.Fatalf("authn --xml: exit %d, %v\n%s", r.code, err, r.stdout)
	}
	if doc.UserID != "jdoe" || doc.MVPD != "Comcast_SSO" || doc.Requestor != "demo" || doc.Expires != fmt.Sprint(authn["expires"]) && doc.Expires != strconv.FormatFloat(authn["expires"].(float64), 'f', -1, 64) {
		t.Errorf("authn XML: %+v, JSON %v", doc, authn)
	}

	sh.json(exitOK, "unlink", str(t, sh.json(exitOK, "whoami", "--device", "tv"), "key"), "--yes")
	// The v1 API's own error object, as it sent it.
	if gone := sh.json(exitRefused, "authn", "--device", "tv"); gone["status"] != 404.0 || gone["device"] != "tv" {
		t.Errorf("authn of the unlinked TV: %v", gone)
	}
	sh.json(exitOK, "mvpd", "signout")
	if after := sh.json(exitOK, "profiles"); len(after["profiles"].(map[string]any)) != 0 {
		t.Errorf("profiles after signout: %v", after)
	}

	// Two Rokus of one subscriber share a profile, without a code.
	first := sh.json(exitOK, "roku", "signin", "--subscriber", "sub-42")
	second := sh.json(exitOK, "roku", "signin", "--subscriber", "sub-42", "--device", "roku2")
	if first["device"] != "roku" || second["device"] != "roku2" {
		t.Errorf("roku signin: %v %v", first, second)
	}
	a, b := sh.json(exitOK, "whoami", "--device", "roku"), sh.json(exitOK, "whoami", "--device", "roku2")
	if a["sub"] == nil || a["sub"] != b["sub"] || a["preset"] != "roku" || a["joinedVia"] != "platformSSO" {
		t.Errorf("two Rokus of one subscriber: %v / %v", a, b)
	}
	for _, dev := range sh.json(exitOK, "devices", "--device", "roku")["devices"].(map[string]any) {
		if dev.(map[string]any)["type"] != "platformSSO" {
			t.Errorf("a Roku joined as %v", dev)
		}
	}

	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"mvpd"}, "signin or signout"},
		{[]string{"mvpd", "dance"}, "unknown step"},
		{[]string{"mvpd", "singout"}, "did you mean signout?"},
		{[]string{"mvpd", "signin", "--user", "jdoe"}, "--mvpd"},
		{[]string{"mvpd", "signin", "--mvpd", "Comcast_SSO"}, "--user"},
		{[]string{"roku", "signin"}, "--subscriber"},
		{[]string{"roku", "signin", "--subscriber", "sub-42", "--device", "tv"}, "--preset roku"},
		{[]string{"authn", "--xml=perhaps"}, "--xml is true or false"},
	} {
		if r := sh.run(tc.args...); r.code != exitUsage || !strings.Contains(r.stderr, tc.says) {
			t.Errorf("handoff %q: exit %d, stderr %q; want 2 saying %q", tc.args, r.code, r.stderr, tc.says)
		}
	}
	if r := sh.run("mvpd", "--help"); r.code != exitOK || !strings.Contains(r.stdout, "signin --mvpd ID --user USER") {
		t.Errorf("mvpd --help: %+v", r)
	}
}

func TestCLITraceShowsExchangesWithoutSecrets(t *testing.T) {
	sh := newShell(t, serve(t))
	tok := str(t, sh.json(exitOK, "signin", "--sso-id", "heidi@example.com"), "serviceToken")
	r := sh.run("refresh", "--trace")
	if r.code != exitOK || !strings.Contains(r.stderr, "> GET /api/demo/serviceToken") || !strings.Contains(r.stderr, "< 200 OK") {
		t.Fatalf("refresh --trace: %+v", r)
	}
	signature := tok[strings.LastIndexByte(tok, '.')+1:]
	if strings.Contains(r.stderr, signature) || !strings.Contains(r.stderr, "<redacted") {
		t.Errorf("the trace shows a service token's signature:\n%s", r.stderr)
	}
}
