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

// lineHandler is serve's log handler: slog.TextHandler's format, byte for byte, but
// written by hand for the records the sandbox writes on every request (no groups,
// values that are plain words, numbers or durations). TextHandler's general path was
// about 5% of a whole service-token call. A record it cannot be sure of (a value that
// needs quoting, a group, an error) goes to the TextHandler itself, so the output is
// always TextHandler's. Its writer must take concurrent whole-line writes, as
// logWriter does.
type lineHandler struct {
	text *slog.TextHandler
	w    io.Writer
}

func newLineHandler(w io.Writer) *lineHandler {
	return &lineHandler{text: slog.NewTextHandler(w, nil), w: w}
}

func (h *lineHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.text.Enabled(ctx, l) }

func (h *lineHandler) WithAttrs(as []slog.Attr) slog.Handler { return h.text.WithAttrs(as) }

func (h *lineHandler) WithGroup(name string) slog.Handler { return h.text.WithGroup(name) }

func (h *lineHandler) Handle(ctx context.Context, r slog.Record) error {
	bp := lineBuffers.Get().(*[]byte)
	defer lineBuffers.Put(bp)
	b, ok := appendLine((*bp)[:0], r)
	*bp = b
	if !ok {
		return h.text.Handle(ctx, r)
	}
	_, err := h.w.Write(b)
	return err
}

// HandleRequestLine writes the request's line straight from its values, as Handle
// writes its record; a value that needs quoting sends the record to Handle.
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

// appendLine writes r as TextHandler would, or says it cannot be sure to.
func appendLine(b []byte, r slog.Record) ([]byte, bool) {
	if !r.Time.IsZero() {
		b = append(b, "time="...)
		b = appendMillis(b, r.Time)
		b = append(b, ' ')
	}
	b = append(b, "level="...)
	b = append(b, r.Level.String()...)
	b = append(b, " msg="...)
	ok := plainText(r.Message)
	b = append(b, r.Message...)
	r.Attrs(func(a slog.Attr) bool {
		if ok = ok && plainText(a.Key); !ok {
			return false
		}
		b = append(b, ' ')
		b = append(b, a.Key...)
		b = append(b, '=')
		switch v := a.Value; v.Kind() {
		case slog.KindString:
			s := v.String()
			if s == "" {
				b = append(b, `""`...)
			} else if ok = plainText(s); ok {
				b = append(b, s...)
			}
		case slog.KindInt64:
			b = strconv.AppendInt(b, v.Int64(), 10)
		case slog.KindDuration:
			b = append(b, v.Duration().String()...)
		default:
			ok = false
		}
		return ok
	})
	return append(b, '\n'), ok
}

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
