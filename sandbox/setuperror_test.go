package sandbox

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSetupErrorsSayWhatToDo: a start-up failure says what to do and shows no Go
// error text, while its cause stays reachable.
func TestSetupErrorsSayWhatToDo(t *testing.T) {
	dir := t.TempDir()
	aFile := filepath.Join(dir, "file")
	if err := os.WriteFile(aFile, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	damaged, short := filepath.Join(dir, "damaged"), filepath.Join(dir, "short")
	for d, content := range map[string]string{damaged: strings.Repeat("not a bolt file ", 512), short: "short"} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, boltFile), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for name, tc := range map[string]struct {
		dataDir string
		advice  string
	}{
		"a file where the directory goes": {filepath.Join(aFile, "sub"), "a file stands where a directory should be; use --data DIR or --memory"},
		"a damaged store":                 {damaged, "is damaged or is not a handoff sandbox store; move it aside"},
		"a store file too short":          {short, "is damaged or is not a handoff sandbox store; move it aside"},
	} {
		_, err := New(Config{DataDir: tc.dataDir})
		if err == nil {
			t.Fatalf("%s: New succeeded", name)
		}
		if !strings.Contains(err.Error(), tc.advice) || strings.Contains(err.Error(), "mkdir ") || strings.Contains(err.Error(), "invalid database") || strings.Contains(err.Error(), "too small") {
			t.Errorf("%s: %q", name, err)
		}
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s, err := New(Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Shutdown(t.Context()) })
	_, err = s.Start(l.Addr().String())
	if err == nil || !errors.Is(err, syscall.EADDRINUSE) || !strings.Contains(err.Error(), "in use") ||
		!strings.Contains(err.Error(), "--addr") || strings.Contains(err.Error(), "bind:") {
		t.Errorf("Start on a taken address: %v", err)
	}
}
