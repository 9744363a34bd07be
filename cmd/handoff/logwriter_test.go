package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a stderr the flush timer and the test may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogWriterFlushes: lines reach the output without Close, soon after they are
// written, whole and in order; Close writes out the rest, and a line after Close goes
// straight through.
func TestLogWriterFlushes(t *testing.T) {
	var out syncBuffer
	l := newLogWriter(&out)
	var want strings.Builder
	for i := range 100 {
		line := fmt.Sprintf("line %d\n", i)
		want.WriteString(line)
		if _, err := l.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for out.String() != want.String() {
		if time.Now().After(deadline) {
			t.Fatalf("after 5s without Close the output holds %q", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := l.Write([]byte("before close\n")); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Write([]byte("after close\n")); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != want.String()+"before close\nafter close\n" {
		t.Fatalf("after Close the output ends %q", got[max(0, len(got)-40):])
	}
}
