// Package redisserver runs a real redis-server for a test, on a free loopback port,
// and stops it by PID when the test ends. Tests of the sandbox's Redis driver use it;
// without redis-server they skip, and fail under CI=true.
package redisserver

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Server is one redis-server process.
type Server struct {
	tb      testing.TB
	Addr    string // 127.0.0.1:PORT
	dir     string
	durable bool
	cmd     *exec.Cmd
	exited  chan struct{}
}

// Start runs redis-server until the test ends. durable turns on the append-only
// file with an fsync per write (appendfsync always), so that a write Redis
// acknowledged outlives a kill -9 of Redis; otherwise nothing is saved.
func Start(tb testing.TB, durable bool) *Server {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatal("redis-server is required in CI (apt-get install redis-server)")
		}
		tb.Skip("redis-server is not installed (apt-get install redis-server); CI runs this test")
	}
	s := &Server{tb: tb, dir: tb.TempDir(), durable: durable}
	for attempt := 0; ; attempt++ {
		s.Addr = freePort(tb)
		if err := s.start(bin); err == nil {
			break
		} else if attempt == 4 {
			tb.Fatalf("redis-server did not start: %v", err)
		}
	}
	tb.Cleanup(s.stop)
	return s
}

// URL is the --store URL of database db.
func (s *Server) URL(db int) string { return fmt.Sprintf("redis://%s/%d", s.Addr, db) }

func freePort(tb testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func (s *Server) start(bin string) error {
	_, port, _ := net.SplitHostPort(s.Addr)
	args := []string{"--port", port, "--bind", "127.0.0.1", "--dir", s.dir, "--save", "", "--daemonize", "no", "--logfile", filepath.Join(s.dir, "redis.log")}
	if s.durable {
		args = append(args, "--appendonly", "yes", "--appendfsync", "always")
	} else {
		args = append(args, "--appendonly", "no")
	}
	s.cmd = exec.Command(bin, args...)
	ownGroup(s.cmd)
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.exited = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); close(done) }(s.cmd, s.exited)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("redis-server exited at start: %s", s.logTail())
		default:
		}
		if s.ping() {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.kill()
	return fmt.Errorf("redis-server did not answer PING within 10s: %s", s.logTail())
}

// ping sends PING in the inline protocol and waits for +PONG.
func (s *Server) ping() bool {
	c, err := net.DialTimeout("tcp", s.Addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "+PONG")
}

func (s *Server) logTail() string {
	raw, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	return strings.Join(lines[max(0, len(lines)-5):], " | ")
}

// PID is the running redis-server's process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Kill9 kills redis-server with SIGKILL, as a crash would, and waits for it.
func (s *Server) Kill9() { s.kill() }

func (s *Server) kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}

// Restart starts redis-server again on the same port and directory (with durable,
// it reads back its append-only file).
func (s *Server) Restart() {
	s.tb.Helper()
	bin, _ := exec.LookPath("redis-server")
	if err := s.start(bin); err != nil {
		s.tb.Fatalf("redis-server did not restart on %s: %v", s.Addr, err)
	}
}

func (s *Server) stop() {
	select {
	case <-s.exited:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		s.kill()
	}
}
