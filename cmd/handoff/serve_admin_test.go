package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// serveOutput is stdout shared with a running `handoff serve`.
type serveOutput struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (o *serveOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.Write(p)
}

func (o *serveOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// runServeUntil runs `handoff serve args` until the line pattern shows, then returns
// the output and a stop that waits for the exit code.
func runServeUntil(t *testing.T, pattern string, args ...string) (*serveOutput, func() int) {
	t.Helper()
	out, errOut := &serveOutput{}, &serveOutput{}
	ctx, cancel := context.WithCancel(t.Context())
	e := &env{stdin: strings.NewReader(""), stdout: out, stderr: errOut, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- newApp(ctx, e, append([]string{"serve", "--memory", "--addr", "127.0.0.1:0"}, args...)).execute()
	}()
	re := regexp.MustCompile(pattern)
	for deadline := time.Now().Add(10 * time.Second); !re.MatchString(out.String()); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("serve %q: no %q in:\n%s\n%s", args, pattern, out.String(), errOut.String())
		}
	}
	return out, func() int { cancel(); return <-done }
}

func TestServeAdminTokenAndSeed(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	out, stop := runServeUntil(t, `admin token kept for 'handoff sandbox' in \S+\n`, "--seed", "5")
	text := out.String()
	base := regexp.MustCompile(`serving on (\S+)`).FindStringSubmatch(text)[1]
	tok := regexp.MustCompile(`admin token: (\S+)`).FindStringSubmatch(text)[1]
	if !strings.Contains(text, "seed: 5 ") {
		t.Errorf("a seeded run does not say so:\n%s", text)
	}
	path := regexp.MustCompile(`kept for 'handoff sandbox' in (\S+)`).FindStringSubmatch(text)[1]
	if !strings.HasPrefix(path, filepath.Join(state, "handoff")) {
		t.Errorf("token file %s is not in the state directory %s", path, state)
	}
	raw, err := os.ReadFile(path)
	if fi, _ := os.Stat(path); err != nil || strings.TrimSpace(string(raw)) != tok || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %q %v (want the printed token, mode 0600)", raw, err)
	}
	req, _ := http.NewRequest("GET", base+"/sandbox/admin/state", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(body.String(), `"seeded":true`) {
		t.Fatalf("admin state with the printed token: %d %s", resp.StatusCode, body.String())
	}
	if code := stop(); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the token file outlived its sandbox: %v", err)
	}
}

func TestServeGivenAdminTokenIsNeitherPrintedNorKept(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	out, stop := runServeUntil(t, `admin token: .*\n`, "--admin-token", "given-secret")
	defer stop()
	if text := out.String(); strings.Contains(text, "given-secret") || strings.Contains(text, "seed:") {
		t.Fatalf("output:\n%s", text)
	}
	if _, err := os.Stat(filepath.Join(state, "handoff", "admin-tokens")); !os.IsNotExist(err) {
		t.Fatalf("a given token was written to disk: %v", err)
	}
}
