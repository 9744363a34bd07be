package main

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// maxTraceBody is how much of a body --trace shows; the rest is counted.
const maxTraceBody = 2048

// writeExchange prints one HTTP exchange for --trace, the way curl -v does: ">" for
// what was sent, "<" for what came back. The client has already redacted secrets;
// what the server sent (headers, bodies) is shown terminal-safe.
func writeExchange(w io.Writer, x client.Exchange) {
	fmt.Fprintf(w, "> %s %s\n", x.Method, present.Safe(x.URL))
	writeHeaders(w, ">", x.RequestHeader)
	writeBody(w, ">", x.RequestBody)
	if x.Status == 0 {
		fmt.Fprintf(w, "< no answer after %s: %s\n\n", x.Latency.Round(time.Millisecond), x.Err)
		return
	}
	fmt.Fprintf(w, "< %d %s (%s)\n", x.Status, http.StatusText(x.Status), x.Latency.Round(100*time.Microsecond))
	writeHeaders(w, "<", x.ResponseHeader)
	writeBody(w, "<", x.ResponseBody)
	fmt.Fprintln(w)
}

func writeHeaders(w io.Writer, side string, h http.Header) {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h[k] {
			fmt.Fprintf(w, "%s %s: %s\n", side, present.Safe(k), present.Safe(v))
		}
	}
}

func writeBody(w io.Writer, side string, b []byte) {
	if len(b) == 0 {
		return
	}
	text := string(b)
	more := ""
	if len(text) > maxTraceBody {
		more = fmt.Sprintf(" … (%d more bytes)", len(text)-maxTraceBody)
		text = text[:maxTraceBody]
	}
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		fmt.Fprintf(w, "%s   %s\n", side, present.Safe(strings.TrimSuffix(line, "\r")))
	}
	if more != "" {
		fmt.Fprintf(w, "%s  %s\n", side, more)
	}
}
