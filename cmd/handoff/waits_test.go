package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// silentServer accepts connections on a loopback port and never answers; accepted
// receives each connection as it comes.
func silentServer(t *testing.T) (url string, accepted <-chan struct{}) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan struct{}, 16)
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
			ch <- struct{}{}
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + l.Addr().String(), ch
}

// start starts handoff with args and returns it running, its stdout readable.
func (s *shell) start(args ...string) (*exec.Cmd, *bufio.Reader, *bytes.Buffer) {
	s.t.Helper()
	cmd := exec.Command(s.bin, args...)
	cmd.Env = s.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd, bufio.NewReader(out), &stderr
}

// exited waits for cmd to end, at most d, and returns its exit code.
func exited(t *testing.T, cmd *exec.Cmd, rest io.Reader, d time.Duration) int {
	t.Helper()
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, rest)
		_ = cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("handoff %q still running after %s", cmd.Args[1:], d)
	}
	return cmd.ProcessState.ExitCode()
}

func TestCLIInterruptExits130(t *testing.T) {
	url, accepted := silentServer(t)
	sh := newShell(t, url)
	for _, args := range [][]string{{"signin", "--sso-id", "ivan@example.com"}, {"signin", "--sso-id", "ivan@example.com", "--json"}} {
		cmd, out, stderr := sh.start(args...)
		select {
		case <-accepted: // the step is waiting on the server
		case <-time.After(10 * time.Second):
			t.Fatalf("handoff %q never reached the server", args)
		}
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		var stdout bytes.Buffer
		code := exited(t, cmd, io.TeeReader(out, &stdout), 10*time.Second)
		if code != 130 || !strings.Contains(stderr.String(), "Interrupted") {
			t.Errorf("handoff %q after SIGINT: exit %d, stderr %q; want 130", args, code, stderr.String())
		}
		if args[len(args)-1] == "--json" {
			var obj map[string]any
			if err := json.Unmarshal(stdout.Bytes(), &obj); err != nil || errorCode(t, obj) != "interrupted" {
				t.Errorf("--json after SIGINT: %q (%v)", stdout.String(), err)
			}
		}
	}
	// --timeout bounds the wait: the silent server is then "unreachable" (3).
	r := sh.run("signin", "--sso-id", "ivan@example.com", "--timeout", "300ms", "--json")
	var obj map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &obj); err != nil || r.code != exitUnreachable || errorCode(t, obj) != "timeout" {
		t.Errorf("--timeout 300ms on a silent server: exit %d, stdout %q", r.code, r.stdout)
	}
	sh.env = append(sh.env, "HANDOFF_TIMEOUT=200ms")
	if r := sh.run("signin", "--sso-id", "ivan@example.com"); r.code != exitUnreachable || !strings.Contains(r.stderr, "did not answer in time") {
		t.Errorf("HANDOFF_TIMEOUT=200ms on a silent server: %+v", r)
	}
}

func TestCLIStatus(t *testing.T) {
	sh := newShell(t, serve(t))
	// An empty keystore: nothing to report, nothing wrong.
	if empty := sh.json(exitOK, "status"); len(empty["devices"].([]any)) != 0 || empty["store"] != "file" {
		t.Fatalf("status with no device: %v", empty)
	}
	sh.json(exitOK, "signin", "--sso-id", "judy@example.com")
	code := str(t, sh.json(exitOK, "link"), "code")
	sh.json(exitOK, "redeem", code, "--device", "tv")
	if all := sh.json(exitOK, "status"); len(all["devices"].([]any)) != 2 {
		t.Fatalf("status of two signed-in devices: %v", all)
	}
	tvKey := str(t, sh.json(exitOK, "whoami", "--device", "tv"), "key")
	sh.json(exitOK, "unlink", "tv", "--yes") // by its name on this machine
	// status reads records only: the TV's says unlinked once the TV has heard it.
	sh.json(exitRefused, "refresh", "--device", "tv")
	sh.json(exitOK, "whoami", "--device", "spare", "--server", "http://127.0.0.1:1", "--sp", "other")

	st := sh.json(exitRefused, "status")
	byName := map[string]map[string]any{}
	for _, d := range st["devices"].([]any) {
		dev := d.(map[string]any)
		byName[dev["name"].(string)] = dev
		if dev["store"] != "file" {
			t.Errorf("status names store %v for %v", dev["store"], dev)
		}
	}
	for name, want := range map[string]struct{ state, server, sp string }{
		"phone": {stateSignedIn, sh.server, "demo"},
		"tv":    {stateUnlinked, sh.server, "demo"},
		"spare": {stateNotSignedIn, "http://127.0.0.1:1", "other"},
	} {
		dev := byName[name]
		if dev == nil || dev["state"] != want.state || dev["server"] != want.server || dev["sp"] != want.sp {
			t.Errorf("status of %s: %v; want %+v", name, dev, want)
		}
	}
	if byName["phone"]["sub"] != "judy@example.com" || byName["phone"]["notAfter"] == nil || byName["tv"]["key"] != tvKey {
		t.Errorf("status: %v", byName)
	}
	human := sh.run("status")
	if human.code != exitRefused || !strings.Contains(human.stdout, "not signed in") || !strings.Contains(human.stdout, "unlinked") {
		t.Errorf("status for people: %+v", human)
	}
	for _, secret := range []string{"serviceToken", "eyJ"} {
		if strings.Contains(human.stdout, secret) {
			t.Errorf("status shows %q:\n%s", secret, human.stdout)
		}
	}
}

func TestCLILinkWait(t *testing.T) {
	sh := newShell(t, serve(t))
	sh.json(exitOK, "signin", "--sso-id", "kim@example.com")
	cmd, out, stderr := sh.start("link", "--wait", "--json")
	first, err := out.ReadString('\n')
	if err != nil {
		t.Fatalf("link --wait printed no code: %v; stderr %s", err, stderr.String())
	}
	var link map[string]any
	if err := json.Unmarshal([]byte(first), &link); err != nil {
		t.Fatalf("first line %q: %v", first, err)
	}
	code := str(t, link, "code")
	time.Sleep(1500 * time.Millisecond) // a poll or two sees no new device
	sh.json(exitOK, "redeem", code, "--device", "tv")
	tvKey := str(t, sh.json(exitOK, "whoami", "--device", "tv"), "key")
	second, err := out.ReadString('\n')
	if err != nil {
		t.Fatalf("no second line after the TV joined: %v; stderr %s", err, stderr.String())
	}
	var joined map[string]any
	if err := json.Unmarshal([]byte(second), &joined); err != nil || joined["status"] != "JOINED" || joined["key"] != tvKey {
		t.Errorf("second line %q (%v); want the TV %s", second, err, tvKey)
	}
	if code := exited(t, cmd, out, 10*time.Second); code != exitOK {
		t.Errorf("link --wait: exit %d after the TV joined; stderr %s", code, stderr.String())
	}

	// For people: the code, then which device joined.
	cmd, out, stderr = sh.start("link", "--wait")
	var text strings.Builder
	var grouped string
	for grouped == "" {
		line, err := out.ReadString('\n')
		if err != nil {
			t.Fatalf("link --wait: %v\n%s\n%s", err, text.String(), stderr.String())
		}
		text.WriteString(line)
		if i := strings.Index(line, "handoff redeem "); i >= 0 {
			grouped = strings.TrimSpace(line[i+len("handoff redeem "):])
		}
	}
	sh.json(exitOK, "redeem", grouped, "--device", "tv2")
	var rest bytes.Buffer
	if code := exited(t, cmd, io.TeeReader(out, &rest), 10*time.Second); code != exitOK || !strings.Contains(rest.String(), "joined the profile") {
		t.Errorf("link --wait for people: exit %d, output %q", code, rest.String())
	}
}

func TestCLILinkWaitExpires(t *testing.T) {
	url, _ := serveStoppable(t, "--link-code-ttl", "2s")
	sh := newShell(t, url)
	sh.json(exitOK, "signin", "--sso-id", "lee@example.com")
	started := time.Now()
	r := sh.run("link", "--wait", "--json")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	var last map[string]any
	if len(lines) != 2 || json.Unmarshal([]byte(lines[1]), &last) != nil || r.code != exitRefused || errorCode(t, last) != "link_code_expired" {
		t.Fatalf("link --wait on a code nobody redeems: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if waited := time.Since(started); waited > 10*time.Second {
		t.Errorf("link --wait waited %s for a 2s code", waited)
	}
	// --timeout shorter than the code: it stops there, and says the code still works.
	url2, _ := serveStoppable(t)
	sh = newShell(t, url2)
	sh.json(exitOK, "signin", "--sso-id", "lee@example.com")
	if r := sh.run("link", "--wait", "--timeout", "1s"); r.code != exitRefused || !strings.Contains(r.stderr, "No device joined within 1s") {
		t.Errorf("link --wait --timeout 1s: %+v", r)
	}
}
