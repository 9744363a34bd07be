package tui

import (
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/client"
)

// TraceRelay carries a device's HTTP exchanges into the running program without ever
// blocking the HTTP call that reports them: exchanges queue in a buffer and one
// goroutine hands them to the program in order. When the buffer is full (the program
// is not reading), the oldest news is dropped, not the request.
type TraceRelay struct {
	ch   chan client.Exchange
	once sync.Once
}

// NewTraceRelay makes a relay; pass its Trace method as the device's trace hook, then
// Attach the program once it exists.
func NewTraceRelay() *TraceRelay {
	return &TraceRelay{ch: make(chan client.Exchange, 256)}
}

// Trace queues one exchange; it never blocks.
func (r *TraceRelay) Trace(ex client.Exchange) {
	select {
	case r.ch <- ex:
	default:
	}
}

// Attach starts handing exchanges to p; call it once. The hand-over lasts as long as
// the process: once p has ended, Send drops what still comes (one program per run).
func (r *TraceRelay) Attach(p *tea.Program) {
	r.once.Do(func() {
		go func() {
			for ex := range r.ch {
				p.Send(ExchangeMsg(ex))
			}
		}()
	})
}
