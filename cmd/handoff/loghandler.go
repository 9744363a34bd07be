package main

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/handoff-sso/handoff/sandbox"
)

// lineHandler is serve's log handler: slog.TextHandler, which writes every record,
// and sandbox.RequestLineHandler, which writes the line the sandbox logs for each
// request from its values, byte for byte as TextHandler would write its record:
// TextHandler's general path was about 5% of a whole service-token call. Its writer
// must take concurrent whole-line writes, as logWriter does.
type lineHandler struct {
	*slog.TextHandler
	w io.Writer
}

func newLineHandler(w io.Writer) *lineHandler {
	return &lineHandler{TextHandler: slog.NewTextHandler(w, nil), w: w}
}

// HandleRequestLine writes the request's line straight from its values; a value that
// needs quoting (or no time) sends its record to TextHandler.
func (h *lineHandler) HandleRequestLine(l sandbox.RequestLine) error {
	if l.At.IsZero() || !plainText(l.Trace) || !plainText(l.Method) || !plainText(l.Path) || l.SP != "" && !plainText(l.SP) {
		return h.Handle(context.Background(), l.Record())
	}
	bp := lineBuffers.Get().(*[]byte)
	defer lineBuffers.Put(bp)
	b := append((*bp)[:0], "time="...)
	b = appendMillis(b, l.At)
	b = append(b, " level=INFO msg=request trace="...)
	b = append(b, l.Trace...)
	b = append(b, " method="...)
	b = append(b, l.Method...)
	b = append(b, " path="...)
	b = append(b, l.Path...)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(l.Status), 10)
	b = append(b, " latency="...)
	b = append(b, l.Latency.String()...)
	b = append(b, " sp="...)
	if l.SP == "" {
		b = append(b, `""`...)
	} else {
		b = append(b, l.SP...)
	}
	*bp = append(b, '\n')
	_, err := h.w.Write(*bp)
	return err
}

var lineBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// plainText says whether TextHandler writes s as it is, unquoted: a sure subset of
// what it leaves alone (printable ASCII but the space, '=' and '"').
func plainText(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !plainByte[s[i]] {
			return false
		}
	}
	return true
}

var plainByte = func() (t [256]bool) {
	for c := '!'; c < 0x7f; c++ {
		t[c] = c != '=' && c != '"'
	}
	return t
}()

// appendMillis is TextHandler's time: RFC 3339 with exactly three digits of
// milliseconds, truncated. The lines of one second share all but those digits, so
// the last second's text is kept and only the digits are written anew.
func appendMillis(b []byte, t time.Time) []byte {
	if s := lastSecond.Load(); s != nil && s.unix == t.Unix() && s.loc == t.Location() {
		b = append(b, s.head...)
		ms := t.Nanosecond() / int(time.Millisecond)
		b = append(b, byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
		return append(b, s.zone...)
	}
	const prefix = len("2006-01-02T15:04:05.000")
	n := len(b)
	b = t.Truncate(time.Millisecond).Add(time.Millisecond/10).AppendFormat(b, time.RFC3339Nano)
	b = append(b[:n+prefix], b[n+prefix+1:]...) // the 1/10 ms only kept the zeros
	line := b[n:]
	lastSecond.Store(&formattedSecond{unix: t.Unix(), loc: t.Location(),
		head: string(line[:prefix-3]), zone: string(line[prefix:])})
	return b
}

// formattedSecond is a second's time as appendMillis writes it, around its digits of
// milliseconds.
type formattedSecond struct {
	unix       int64
	loc        *time.Location
	head, zone string
}

var lastSecond atomic.Pointer[formattedSecond]
