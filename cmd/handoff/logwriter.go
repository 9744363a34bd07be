package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logFlushEvery is how late a request's log line may reach stderr.
const logFlushEvery = 100 * time.Millisecond

// logWriter is serve's stderr for its log: every line still goes out, in order, but
// in writes of many lines, at most logFlushEvery after the first of them and at Close,
// instead of one system call per request (which was the largest fixed cost of a call).
type logWriter struct {
	mu      sync.Mutex
	buf     *bufio.Writer
	timer   *time.Timer
	pending bool // a flush is due: the timer runs
	closed  bool // after Close, every write goes straight through
}

func newLogWriter(out io.Writer) *logWriter {
	l := &logWriter{buf: bufio.NewWriterSize(out, 64<<10)}
	l.timer = time.AfterFunc(logFlushEvery, func() { _ = l.flush() })
	l.timer.Stop()
	return l
}

func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, err := l.buf.Write(p)
	switch {
	case l.closed:
		err = l.buf.Flush()
	case !l.pending:
		l.pending = true
		l.timer.Reset(logFlushEvery)
	}
	return n, err
}

func (l *logWriter) flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending = false
	return l.buf.Flush()
}

// Close writes out what is buffered; later lines (a late shutdown error) go out as
// they come.
func (l *logWriter) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.timer.Stop()
	return l.flush()
}
