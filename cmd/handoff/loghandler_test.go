package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/sandbox"
)

// BenchmarkRequestLine writes the sandbox's request line through serve's log path
// (lineHandler, given the line's values, into logWriter), beside slog's TextHandler
// given its record, into the same logWriter.
func BenchmarkRequestLine(b *testing.B) {
	line := sandbox.RequestLine{At: time.Now(), Trace: "7043fbce-fd23-49a0-988b-7b2e55e87ed7", Method: "POST",
		Path: "/api/demo/serviceToken", SP: "demo", Status: 201, Latency: 81 * time.Microsecond}
	for name, write := range map[string]func(*logWriter) func() error{
		"lineHandler": func(w *logWriter) func() error {
			h := newLineHandler(w)
			return func() error { return h.HandleRequestLine(line) }
		},
		"TextHandler": func(w *logWriter) func() error {
			h := slog.NewTextHandler(w, nil)
			return func() error { return h.Handle(context.Background(), line.Record()) }
		},
	} {
		b.Run(name, func(b *testing.B) {
			w := newLogWriter(io.Discard)
			defer w.Close()
			handle := write(w)
			b.ReportAllocs()
			for b.Loop() {
				_ = handle()
			}
		})
	}
}

// sameLineAsText checks that HandleRequestLine writes what TextHandler writes for the
// line's record.
func sameLineAsText(t *testing.T, l sandbox.RequestLine) {
	t.Helper()
	var got, want bytes.Buffer
	if err := newLineHandler(&got).HandleRequestLine(l); err != nil {
		t.Fatal(err)
	}
	if err := slog.NewTextHandler(&want, nil).Handle(context.Background(), l.Record()); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Fatalf("HandleRequestLine wrote\n%q\nTextHandler writes\n%q", got.String(), want.String())
	}
}

func TestRequestLineWritesWhatTextHandlerWrites(t *testing.T) {
	at := time.Date(2026, 12, 2, 0, 50, 1, 999_999_999, time.Local)
	for _, l := range []sandbox.RequestLine{
		{At: at, Trace: "7043fbce-fd23-49a0-988b-7b2e55e87ed7", Method: "POST", Path: "/api/demo/serviceToken", SP: "demo", Status: 201, Latency: 81 * time.Microsecond},
		{At: at, Trace: "t", Method: "GET", Path: "/sandbox/phone", Status: 200, Latency: 2 * time.Second}, // no sp
		{At: at, Trace: "t", Method: "GET", Path: "/a b", SP: "x=y", Status: 404},                          // quoted
		{Trace: "t", Method: "GET", Path: "/", Status: 200},                                                // no time
		{At: at.Add(7 * time.Nanosecond), Trace: "t", Method: "GET", Path: "/", Status: 200, Latency: -time.Millisecond},
		{At: at.In(time.FixedZone("x", 3600)), Trace: "t", Method: "GET", Path: "/", Status: 200}, // the same second, another zone
	} {
		sameLineAsText(t, l)
	}
}

func FuzzRequestLine(f *testing.F) {
	f.Add(int64(1764636601123456789), "trace-1", "GET", "/api/demo/list", "demo", 200, int64(1500))
	f.Fuzz(func(t *testing.T, unix int64, trace, method, path, sp string, status int, latency int64) {
		sameLineAsText(t, sandbox.RequestLine{At: time.Unix(0, unix), Trace: trace, Method: method, Path: path, SP: sp, Status: status, Latency: time.Duration(latency)})
	})
}
