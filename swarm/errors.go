package swarm

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/handoff-sso/handoff/client"
)

// The classes of failure that are not an API code.
const (
	classNetwork  = "network"  // no HTTP answer: refused, reset, timeout
	classProtocol = "protocol" // an answer the client cannot read
	classOther    = "other"
	// Checks the swarm makes on answers the server gave with a 2xx.
	classNotListed   = "not_listed"   // the TV's own list does not show it
	classNotUnlinked = "not_unlinked" // the unlink answer does not name the device
)

// maxErrorKinds bounds the distinct (step, code) pairs kept: a server may send any
// code it likes, and a hostile one must not grow the report without end.
const maxErrorKinds = 64

// maxCodeLen cuts a server's code to what a table column shows.
const maxCodeLen = 48

type errorKey struct {
	step   string
	code   string
	status int
}

// errorTally counts failures by step and API code.
type errorTally struct {
	mu     sync.Mutex
	counts map[errorKey]int64
	total  int64
}

func newErrorTally() *errorTally { return &errorTally{counts: map[errorKey]int64{}} }

func (t *errorTally) add(step string, err error) {
	code, status := classify(err)
	t.addClass(step, code, status)
}

func (t *errorTally) addClass(step, code string, status int) {
	k := errorKey{step: step, code: code, status: status}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.counts[k]; !ok && len(t.counts) >= maxErrorKinds {
		k = errorKey{step: step, code: classOther}
	}
	t.counts[k]++
	t.total++
}

func (t *errorTally) count() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total
}

// classify names a failure by the API's code (or "http_503" when the server sent
// none), or by its class when there was no API answer.
func classify(err error) (code string, status int) {
	var ae *client.APIError
	var ue *client.UnreachableError
	var pe *client.ProtocolError
	switch {
	case errors.As(err, &ae):
		code = ae.Code
		if code == "" {
			code = "http_" + strconv.Itoa(ae.HTTPStatus)
		}
		if len(code) > maxCodeLen {
			code = strings.ToValidUTF8(code[:maxCodeLen], "") + "…"
		}
		return code, ae.HTTPStatus
	case errors.As(err, &ue):
		return classNetwork, 0
	case errors.As(err, &pe):
		return classProtocol, pe.HTTPStatus
	}
	return classOther, 0
}

func (t *errorTally) report() []ErrorReport {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]ErrorReport, 0, len(t.counts))
	for k, n := range t.counts {
		out = append(out, ErrorReport{Step: k.step, Code: k.code, HTTPStatus: k.status, Count: n})
	}
	slices.SortFunc(out, func(a, b ErrorReport) int {
		if a.Count != b.Count {
			return int(b.Count - a.Count)
		}
		return strings.Compare(a.Step+" "+a.Code, b.Step+" "+b.Code)
	})
	return out
}
