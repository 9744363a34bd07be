package sandbox

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"
)

// rawRequest sends the request line exactly as written, so that no client cleans the
// path on the way, and returns the status line.
func rawRequest(t *testing.T, base, method, target string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", method, target, u.Host)
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil && err != io.EOF {
		t.Fatal(err)
	}
	return strings.TrimSpace(status)
}

// TestLogMasksLoginCodeInEverySpelling: the MVPD login code is masked in the log
// however its path is spelt: doubled slashes, dot segments, percent-encoding, case.
func TestLogMasksLoginCodeInEverySpelling(t *testing.T) {
	var out lockedBuffer
	ts := startServer(t, "memory", "", Config{Logger: slog.New(slog.NewJSONHandler(&out, nil))})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	_, s := startLogin(t, ts, phone, "Cox")
	code := s.str("code")
	pct := ""
	for i := range len(code) {
		pct += fmt.Sprintf("%%%02X", code[i])
	}
	for _, target := range []string{
		"//sandbox/mvpd-login/" + code,
		"/sandbox//mvpd-login/" + code,
		"/sandbox/./mvpd-login/" + code,
		"/./sandbox/mvpd-login/" + code,
		"/x/../sandbox/mvpd-login/" + code,
		"/sandbox/mvpd-login/./" + code,
		"/sandbox/mvpd%2Dlogin/" + code,
		"/sandbox%2Fmvpd-login/" + code,
		"/sandbox/mvpd-login/" + pct,
		"/sandbox/mvpd-login/" + strings.ToLower(code),
		"/SANDBOX/MVPD-LOGIN/" + code,
		"/sandbox/mvpd-login/" + code + "/",
		"/sandbox/mvpd-login/" + code + "/x",
	} {
		for _, m := range []string{"GET", "POST"} {
			if st := rawRequest(t, ts.URL, m, target); !strings.HasPrefix(st, "HTTP/1.1 ") {
				t.Fatalf("%s %s: %q", m, target, st)
			}
		}
	}
	logs := out.String()
	for _, secret := range []string{code, strings.ToLower(code), pct} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds the login code as %q:\n%s", secret, logs)
		}
	}
}

// FuzzLogPathSkipsOnlyCleanPaths: logPath skips path.Clean for a path it judges clean;
// it must then log exactly what it logs with Clean.
func FuzzLogPathSkipsOnlyCleanPaths(f *testing.F) {
	for _, p := range []string{"/api/demo/list", "/", "//x", "/a/./b", "/a/../mvpd-login/x", "/a/", "/.well-known/x", "/a/.", "sandbox/x", ""} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		r := &http.Request{URL: &url.URL{Path: p}}
		cleaned := &http.Request{URL: &url.URL{Path: path.Clean("/" + p)}}
		if got, want := logPath(r), logPath(cleaned); got != want {
			t.Fatalf("logPath(%q) = %q, with the path cleaned first %q", p, got, want)
		}
	})
}
