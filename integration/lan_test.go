//go:build linux

package integration

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/sandbox"
)

// The LAN test runs for real on a network the test makes for itself: two network
// namespaces joined by a veth pair, "machine" (192.0.2.101 on lan0) where `handoff
// serve --lan` and a headless Chromium with a phone's viewport run, and "tv"
// (192.0.2.102) where a terminal TV (`handoff redeem`, the built binary) reaches the
// sandbox over the link. The test re-runs itself inside the machine namespace, so
// that Chromium's DevTools socket, on that namespace's loopback, is in reach.
const (
	lanInnerEnv  = "HANDOFF_LAN_TEST_INNER" // set in the re-run: the namespace is ready
	lanMachineIP = "192.0.2.101"
	lanTVIP      = "192.0.2.102"
	lanIface     = "lan0"
	// A phone's screen: CSS pixels, device pixel ratio and User-Agent of an Android phone.
	phoneWidth, phoneHeight = 390, 844
	phoneUA                 = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)

func TestLANInNamespace(t *testing.T) {
	if os.Getenv(lanInnerEnv) != "" {
		lanInside(t)
		return
	}
	requireLANTools(t)
	bin := buildHandoff(t)
	suffix := strconv.Itoa(os.Getpid())
	machine, tv := "handoff-lan-"+suffix+"-machine", "handoff-lan-"+suffix+"-tv"
	vethA, vethB := "hoa"+suffix, "hob"+suffix
	for _, ns := range []string{machine, tv} {
		ipCmd(t, "netns", "add", ns)
		t.Cleanup(func() { removeNamespace(t, ns) })
	}
	ipCmd(t, "link", "add", vethA, "type", "veth", "peer", "name", vethB)
	for _, side := range []struct{ ns, veth, ip string }{{machine, vethA, lanMachineIP}, {tv, vethB, lanTVIP}} {
		ipCmd(t, "link", "set", side.veth, "netns", side.ns)
		ipCmd(t, "-n", side.ns, "link", "set", side.veth, "name", lanIface)
		ipCmd(t, "-n", side.ns, "addr", "add", side.ip+"/24", "dev", lanIface)
		ipCmd(t, "-n", side.ns, "link", "set", lanIface, "up")
		ipCmd(t, "-n", side.ns, "link", "set", "lo", "up")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", machine, os.Args[0],
		"-test.run", "^TestLANInNamespace$", "-test.count", "1", "-test.v")
	cmd.Env = append(os.Environ(), lanInnerEnv+"=1", "HANDOFF_LAN_TEST_BIN="+bin, "HANDOFF_LAN_TEST_TV_NS="+tv)
	out, err := cmd.CombinedOutput()
	t.Logf("inside the namespace %s:\n%s", machine, out)
	if err != nil {
		t.Fatalf("the test inside the namespace failed: %v", err)
	}
	if !strings.Contains(string(out), "--- PASS: TestLANInNamespace") {
		t.Fatal("the test inside the namespace did not pass")
	}
}

// requireLANTools: root, iproute2 and Chromium; missing ones fail under CI.
func requireLANTools(t *testing.T) {
	t.Helper()
	missing := ""
	if os.Geteuid() != 0 {
		missing = "root (to make network namespaces)"
	} else if _, err := exec.LookPath("ip"); err != nil {
		missing = "ip (apt-get install iproute2)"
	}
	if missing != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("the LAN test needs %s in CI", missing)
		}
		t.Skipf("the LAN test needs %s", missing)
	}
	chromiumPath(t)
}

func ipCmd(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// removeNamespace ends what still runs in the namespace (by PID: only what this test
// started can be there) and deletes it, and its end of the veth pair with it.
func removeNamespace(t *testing.T, ns string) {
	out, _ := exec.Command("ip", "netns", "pids", ns).Output()
	for _, f := range strings.Fields(string(out)) {
		if pid, err := strconv.Atoi(f); err == nil {
			t.Logf("ending process %d left in %s", pid, ns)
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
		t.Errorf("ip netns del %s: %v: %s", ns, err, out)
	}
}

// lanInside is the test proper, inside the machine namespace.
func lanInside(t *testing.T) {
	bin, tvNS := os.Getenv("HANDOFF_LAN_TEST_BIN"), os.Getenv("HANDOFF_LAN_TEST_TV_NS")
	ctx := context.Background()
	loopback, lanURL := startServeLAN(t, bin)
	if !strings.HasPrefix(lanURL, "http://"+lanMachineIP+":") {
		t.Fatalf("handoff serve --lan chose %s; want the namespace's %s on %s", lanURL, lanMachineIP, lanIface)
	}

	// The sandbox says where it is reached, on either address.
	for _, base := range []string{loopback, lanURL} {
		in := getSandboxInfo(t, base)
		if in.PublicURL != lanURL || in.Loopback || in.LANInterface != lanIface || in.PhonePage != lanURL+"/sandbox/phone" {
			t.Fatalf("GET %s/sandbox/info = %+v; want publicUrl %s on %s", base, in, lanURL, lanIface)
		}
	}

	// A phone in a terminal of this machine calls loopback, and the link URL it builds
	// carries the LAN address.
	phone := openDevice(t, client.DeviceConfig{Name: "phone", Server: loopback})
	if _, err := phone.SignIn(ctx, "lan@example.com"); err != nil {
		t.Fatal(client.Explain(err))
	}
	lc, err := phone.Link(ctx)
	if err != nil {
		t.Fatal(client.Explain(err))
	}
	public, err := phone.PublicServer(ctx)
	if err != nil {
		t.Fatal(client.Explain(err))
	}
	linkURL := public.LinkURL(client.DefaultServiceProvider, lc.Code)
	if public.Loopback || !public.Offered || linkURL != lanURL+"/sandbox/link?code="+lc.Code {
		t.Fatalf("public server %+v, link URL %s; want the LAN address %s", public, linkURL, lanURL)
	}

	checkLinkCommandOnLAN(t, bin, loopback, lanURL)
	checkPagesNotExposed(t)

	b := launchBrowser(t, filepath.Join(t.TempDir(), "chromium-profile"))
	emulatePhone(t, b)

	// The browser, as the TV side, opens the QR's URL on the LAN origin and joins.
	b.navigate(linkURL)
	if state := b.waitFor(appState, 30*time.Second, "joined", "error"); state != "joined" {
		t.Fatalf("the link page did not join over the LAN: %s", b.text("status"))
	}
	checkPhoneLayout(t, b, "join")
	var browserKey string
	mustEval(t, b, `document.getElementById("device-key").textContent`, &browserKey)
	list, err := phone.Devices(ctx)
	if err != nil {
		t.Fatal(client.Explain(err))
	}
	// The browser says it is a phone (X-Device-Info MobilePhone); the spec's 2026-12
	// correction maps that to "mobile" in the list, which the sandbox may not do yet.
	if d, ok := list.Devices[browserKey]; !ok || d.Type != "sso" || (d.DeviceType != "mobile" && d.DeviceType != "MobilePhone") {
		t.Fatalf("the phone's list %+v lacks the browser %s as an sso mobile device", list.Devices, browserKey)
	}

	// The browser, as the phone, on the phone page: sign in, a link code that the TV
	// on the other end of the veth types, the device list, the unlink.
	b.navigate(public.PhoneURL(client.DefaultServiceProvider))
	if state := b.waitFor(appState, 30*time.Second, "signed-out", "error"); state != "signed-out" {
		t.Fatalf("the phone page did not offer to sign in: %s", b.text("status"))
	}
	mustEval(t, b, `(function(){document.getElementById("sso-id").value="pat@example.com";
		document.getElementById("signin").click();return true})()`, new(bool))
	if state := b.waitFor(appState, 30*time.Second, "signed-in", "error"); state != "signed-in" {
		t.Fatalf("the phone page did not sign in: %s", b.text("status"))
	}
	b.waitFor(`document.getElementById("devices").dataset.count`, 10*time.Second, "1")
	mustEval(t, b, `(function(){document.getElementById("make-code").click();return true})()`, new(bool))
	b.waitFor(`document.getElementById("code-panel").dataset.state`, 10*time.Second, "live")
	var code, shown, countdown string
	mustEval(t, b, `document.getElementById("code-panel").dataset.code`, &code)
	mustEval(t, b, `document.getElementById("link-code").textContent`, &shown)
	mustEval(t, b, `document.getElementById("countdown").textContent`, &countdown)
	if !regexp.MustCompile(`^\d{6}$`).MatchString(code) || shown != code[:3]+" "+code[3:] || !regexp.MustCompile(`^(10:00|9:[0-5]\d) left$`).MatchString(countdown) {
		t.Fatalf("the phone page shows code %q as %q with %q", code, shown, countdown)
	}
	checkPhoneLayout(t, b, "code")

	tvHome := t.TempDir()
	redeem := runTV(t, tvNS, tvHome, lanURL, "redeem", code, "--json")
	var tok struct {
		Token string `json:"serviceToken"`
	}
	if err := json.Unmarshal([]byte(redeem), &tok); err != nil || tok.Token == "" {
		t.Fatalf("handoff redeem on the TV: %q", redeem)
	}
	// The page polls the list while its code is live: the TV appears as "sso".
	b.waitFor(`document.getElementById("devices").dataset.count`, 15*time.Second, "2")
	var tvKey string
	mustEval(t, b, `document.querySelector('#devices li[data-type="sso"]').dataset.key`, &tvKey)
	mustEval(t, b, `(function(){document.querySelector('#devices li[data-type="sso"] button.unlink').click();return true})()`, new(bool))
	b.waitFor(`document.getElementById("devices").dataset.count`, 15*time.Second, "1")
	if state := b.waitFor(appState, 10*time.Second, "signed-in", "error"); state != "signed-in" {
		t.Fatalf("after the unlink the phone page is %q: %s", state, b.text("status"))
	}
	if _, stderr, err := runTVErr(tvNS, tvHome, lanURL, "devices"); err == nil || !strings.Contains(stderr, "unlinked") {
		t.Fatalf("the unlinked TV still lists devices (%v): %s", err, stderr)
	}

	// A reload keeps the phone signed in; it can then unlink itself.
	b.navigate(public.PhoneURL(client.DefaultServiceProvider))
	if state := b.waitFor(appState, 30*time.Second, "signed-in", "signed-out", "error"); state != "signed-in" {
		t.Fatalf("after a reload the phone page is %q: %s", state, b.text("status"))
	}
	b.waitFor(`document.getElementById("devices").dataset.count`, 10*time.Second, "1")
	mustEval(t, b, `(function(){document.querySelector("#devices button.unlink").click();return true})()`, new(bool))
	if state := b.waitFor(appState, 15*time.Second, "unlinked", "error"); state != "unlinked" {
		t.Fatalf("after unlinking itself the phone page is %q: %s", state, b.text("status"))
	}
	b.close()
}

// startServeLAN runs the built `handoff serve --lan` and reads its start lines: the
// loopback URL and the LAN URL it says it also serves on.
func startServeLAN(t *testing.T, bin string) (loopback, lan string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--memory", "--addr", "127.0.0.1:0", "--lan")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			t.Error("handoff serve did not stop within 10s of SIGTERM")
		}
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	serving := regexp.MustCompile(`^handoff sandbox serving on (http://\S+)$`)
	lanLine := regexp.MustCompile(`^LAN: also serving on (http://\S+) \(interface ` + lanIface + `\): any device on this network can reach`)
	deadline := time.After(30 * time.Second)
	for loopback == "" || lan == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("handoff serve --lan stopped before saying where it serves")
			}
			if m := serving.FindStringSubmatch(l); m != nil {
				loopback = m[1]
			}
			if m := lanLine.FindStringSubmatch(l); m != nil {
				lan = m[1]
			}
		case <-deadline:
			t.Fatal("handoff serve --lan printed no LAN line within 30s")
		}
	}
	go func() {
		for range lines {
		}
	}()
	return loopback, lan
}

func getSandboxInfo(t *testing.T, base string) client.SandboxInfo {
	t.Helper()
	res, err := http.Get(base + "/sandbox/info")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var in client.SandboxInfo
	dec := json.NewDecoder(res.Body)
	dec.DisallowUnknownFields() // the client's type and the sandbox's answer stay in step
	if err := dec.Decode(&in); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s/sandbox/info: %d %v", base, res.StatusCode, err)
	}
	return in
}

// runTV runs the built binary as the TV, in the TV's namespace, and returns stdout.
func runTV(t *testing.T, ns, home, server string, args ...string) string {
	t.Helper()
	out, stderr, err := runTVErr(ns, home, server, args...)
	if err != nil {
		t.Fatalf("handoff %s on the TV: %v: %s", strings.Join(args, " "), err, stderr)
	}
	return out
}

// runTVErr keeps the TV's secrets in a file under home, so that they outlive each run.
func runTVErr(ns, home, server string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns, os.Getenv("HANDOFF_LAN_TEST_BIN")}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_STATE_HOME="+filepath.Join(home, "state"),
		"XDG_CONFIG_HOME="+filepath.Join(home, "config"), "HANDOFF_KEYSTORE=file", "HANDOFF_SERVER="+server, "HANDOFF_DEVICE=tv")
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// emulatePhone gives the page an Android phone's screen, touch and User-Agent.
func emulatePhone(t *testing.T, b *browser) {
	t.Helper()
	for _, c := range []struct {
		method string
		params map[string]any
	}{
		{"Emulation.setDeviceMetricsOverride", map[string]any{"width": phoneWidth, "height": phoneHeight, "deviceScaleFactor": 3, "mobile": true}},
		{"Emulation.setTouchEmulationEnabled", map[string]any{"enabled": true, "maxTouchPoints": 5}},
		{"Emulation.setUserAgentOverride", map[string]any{"userAgent": phoneUA, "platform": "Linux armv8l"}},
	} {
		if err := b.call(c.method, c.params, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// checkPhoneLayout: nothing wider than the phone's screen, every visible button at
// least 44 CSS pixels high (a finger's target), and a dark scheme when asked for.
func checkPhoneLayout(t *testing.T, b *browser, step string) {
	t.Helper()
	var lay struct {
		ScrollWidth int     `json:"scrollWidth"`
		MinButton   float64 `json:"minButton"`
		Buttons     int     `json:"buttons"`
	}
	mustEval(t, b, `(function(){var bs=[].filter.call(document.querySelectorAll("button"),function(x){return x.offsetParent!==null});
		return {scrollWidth:document.documentElement.scrollWidth,buttons:bs.length,
		minButton:bs.reduce(function(m,x){return Math.min(m,x.getBoundingClientRect().height)},1e9)}})()`, &lay)
	if lay.ScrollWidth > phoneWidth || lay.Buttons == 0 || lay.MinButton < 44 {
		t.Errorf("%s: on a %d px wide phone the page is %d px wide, its smallest of %d buttons %.0f px high", step, phoneWidth, lay.ScrollWidth, lay.Buttons, lay.MinButton)
	}
	for _, scheme := range []struct{ name, bg string }{{"dark", "rgb(18, 18, 18)"}, {"light", "rgb(255, 255, 255)"}} {
		if err := b.call("Emulation.setEmulatedMedia", map[string]any{"features": []map[string]string{{"name": "prefers-color-scheme", "value": scheme.name}}}, nil); err != nil {
			t.Fatal(err)
		}
		var bg string
		mustEval(t, b, `getComputedStyle(document.body).backgroundColor`, &bg)
		if bg != scheme.bg {
			t.Errorf("%s: in the %s scheme the page's background is %s, want %s", step, scheme.name, bg, scheme.bg)
		}
	}
}

// checkPagesNotExposed: a sandbox that listens on the LAN address without --lan or
// --advertise answers the API there but keeps its pages to loopback callers.
func checkPagesNotExposed(t *testing.T) {
	t.Helper()
	srv, err := sandbox.New(sandbox.Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Shutdown(context.Background()) }()
	base, err := srv.Start(lanMachineIP + ":0")
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{"/sandbox/phone": http.StatusForbidden, "/sandbox/link?code=123456": http.StatusForbidden, "/sandbox/healthz": http.StatusOK} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want || (want == http.StatusForbidden && !strings.Contains(string(body), "--lan")) {
			t.Errorf("GET %s%s from the LAN without --lan: %d %q, want %d", base, path, res.StatusCode, body, want)
		}
	}
}

// checkLinkCommandOnLAN: handoff link --json, run on this machine against loopback,
// puts the LAN address in linkUrl (the URL its QR image carries), and so does not say
// that a phone cannot open it.
func checkLinkCommandOnLAN(t *testing.T, bin, loopback, lanURL string) {
	t.Helper()
	home := t.TempDir()
	run := func(args ...string) (string, string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "HOME="+home, "XDG_STATE_HOME="+filepath.Join(home, "state"),
			"XDG_CONFIG_HOME="+filepath.Join(home, "config"), "HANDOFF_KEYSTORE=file", "HANDOFF_SERVER="+loopback)
		var o, e strings.Builder
		cmd.Stdout, cmd.Stderr = &o, &e
		if err := cmd.Run(); err != nil {
			t.Fatalf("handoff %s: %v: %s", strings.Join(args, " "), err, e.String())
		}
		return o.String(), e.String()
	}
	run("signin", "--sso-id", "cli-lan@example.com")
	out, stderr := run("link", "--json")
	var answer struct{ Code, LinkURL string }
	if err := json.Unmarshal([]byte(out), &answer); err != nil {
		t.Fatalf("handoff link --json: %v\n%s", err, out)
	}
	if answer.LinkURL != lanURL+"/sandbox/link?code="+answer.Code {
		t.Errorf("handoff link --json: linkUrl %s; want the LAN address %s", answer.LinkURL, lanURL)
	}
	if strings.Contains(stderr, "--lan") {
		t.Errorf("handoff link on a LAN sandbox still says to start it with --lan: %s", stderr)
	}
}
