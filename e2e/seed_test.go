package e2e

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/integration/seedserver"
)

// seedCodeOnScreen is a link code of the seed server: letters and digits.
var seedCodeOnScreen = regexp.MustCompile(`code ([A-Z0-9]{3}) ([A-Z0-9]{3}) ·`)

// startSeedServer serves the independent seed server (written from the seed alone,
// not the sandbox) on a loopback port for the test.
func startSeedServer(t *testing.T, v seedserver.Variants) (string, *seedserver.Server) {
	t.Helper()
	ss, err := seedserver.New(seedserver.Config{Variants: v})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: ss, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String(), ss
}

// TestTwoTerminalsAgainstTheSeedServer is the whole two-device flow in two tmux
// terminals, `handoff phone` and `handoff tv`, against a server that has no sandbox
// endpoint (its software statement in a file, --software-statement, as a dashboard
// hands it out), alphanumeric link codes, typed and unknown list attributes.
func TestTwoTerminalsAgainstTheSeedServer(t *testing.T) {
	requireTmux(t)
	bin := binary(t)
	url, ss := startSeedServer(t, seedserver.Variants{NoSandbox: true, AlphanumericCodes: true, TypedAttributes: true, UnknownFields: true})
	statement := filepath.Join(t.TempDir(), "statement.jwt")
	if err := os.WriteFile(statement, ss.SoftwareStatement(), 0o600); err != nil {
		t.Fatal(err)
	}
	flags := " --server " + url + " --software-statement " + statement
	phone := newTerm(t, 120, 40, bin+" phone"+flags)
	tv := newTerm(t, 120, 40, bin+" tv"+flags)

	phone.waitText("X-SSO-ID › demo-user@example.com", 10*time.Second)
	phone.keys("Enter")
	phone.waitText("Signed in as demo-user@example.com", 10*time.Second)
	phone.keys("l")
	// The code and its link card are drawn once the answer is in: wait for both, not
	// for a frame that still says it is asking.
	s := phone.waitFor("a link code and its QR line", 10*time.Second, func(s string) bool {
		return seedCodeOnScreen.MatchString(s) && strings.Contains(strings.Join(strings.Fields(s), ""), "QR:")
	})
	m := seedCodeOnScreen.FindStringSubmatch(s)
	code := m[1] + m[2]
	flat := strings.Join(strings.Fields(s), "")
	if !strings.Contains(flat, "QR:"+url+"/sandbox/link?code="+code) {
		t.Errorf("the QR image should carry the server's own address (it offers no /sandbox/info):\n%s", s)
	}
	if !strings.Contains(strings.Join(strings.Fields(s), " "), "A phone cannot open this loopback address") {
		t.Errorf("a loopback QR image should say a phone cannot open it:\n%s", s)
	}

	tv.waitText("code ›", 10*time.Second)
	// Letters are commands until the entry has the keyboard: i gives it, as the hint says.
	tv.keys("i")
	tv.waitText("typing: letters and digits go in", 5*time.Second)
	tv.text(strings.ToLower(m[1]) + " " + m[2])
	tv.keys("Enter")
	tv.waitText("Joined the profile of demo-user@example.com", 10*time.Second)

	// The phone sees the TV join, its typed and unknown attributes in the details.
	phone.waitText("The code was used", 10*time.Second)
	s = phone.waitText("Devices on this profile: 2", 10*time.Second)
	for _, want := range []string{"hdr=true", "firmwareBuild=A.1", `screen={"height":2160,"width":3840}`} {
		if !strings.Contains(strings.Join(strings.Fields(s), " "), want) {
			t.Errorf("the device's details lack %s:\n%s", want, s)
		}
	}
	tv.waitText("Devices on this profile: 2", 10*time.Second)

	phone.keys("Down", "u")
	phone.waitText("Unlink 1 device:", 10*time.Second)
	phone.keys("y")
	phone.waitText("Unlinked 1 device.", 10*time.Second)
	tv.waitText("This device was unlinked from the profile", 20*time.Second)

	phone.keys("q")
	phone.waitText("EXITED 0", 10*time.Second)
	tv.keys("q")
	tv.waitText("EXITED 0", 10*time.Second)
}
