package sandbox

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveEnv, when set to a data directory, makes the test binary a small `handoff
// serve`: it opens the sandbox there, prints its URL, serves until SIGTERM, and exits
// 2 when the store is damaged, as the command does. The tests run it as a real process
// so that a fault that would kill a server is seen as it would be.
const serveEnv = "HANDOFF_SANDBOX_TEST_SERVE"

func TestMain(m *testing.M) {
	if dir := os.Getenv(serveEnv); dir != "" {
		os.Exit(serveForTest(dir))
	}
	os.Exit(m.Run())
}

func serveForTest(dir string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	srv, err := New(Config{DataDir: dir})
	if err != nil {
		fmt.Fprintf(os.Stderr, "handoff serve: %v\n", err)
		if errors.Is(err, ErrStoreDamaged) {
			return 2
		}
		return 1
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "handoff serve: %v\n", err)
		return 1
	}
	fmt.Println(base)
	<-ctx.Done()
	_ = srv.Shutdown(context.Background())
	return 0
}

// serveProcess is the test binary running serveForTest on dir.
type serveProcess struct {
	cmd    *exec.Cmd
	URL    string
	stderr *lockedBuffer
	exited chan struct{} // closed once the process has been waited for
	code   int
}

// startServeProcess starts the process; it returns once the URL is printed or the
// process has exited (URL empty). The process is stopped by PID at cleanup.
func startServeProcess(t *testing.T, dir string) *serveProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveEnv+"="+dir)
	p := &serveProcess{cmd: cmd, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	url := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		url <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, out)
		_ = cmd.Wait()
		p.code = cmd.ProcessState.ExitCode()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
			return
		default:
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-p.exited
		}
	})
	select {
	case p.URL = <-url:
	case <-time.After(30 * time.Second):
		t.Fatalf("the serve process printed nothing in 30s; stderr:\n%s", p.stderr)
	}
	return p
}

// wait returns the exit code once the process has ended.
func (p *serveProcess) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("the serve process is still running; stderr:\n%s", p.stderr)
	}
	return p.code
}
