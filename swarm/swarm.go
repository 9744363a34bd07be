package swarm

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/handoff-sso/handoff/client"
)

// Swarm is one run of a crowd of TVs; it runs once. Progress may be read while Run
// runs.
type Swarm struct {
	opts      Options
	runID     string // keeps this run's profiles apart from an earlier run's
	http      *http.Client
	meter     *meter
	statement []byte
	calls     *callLog
	errs      *errorTally
	counts    map[string]*stepCount

	begin                    atomic.Int64 // UnixNano of the start; 0 before Run
	started, joined, listed  atomic.Int64
	unlinked, failed, active atomic.Int64
	abortOnce                sync.Once
	abortErr                 error
	cancel                   context.CancelFunc
}

// stepCount is how often one step succeeded and failed.
type stepCount struct{ ok, failed atomic.Int64 }

func (c *stepCount) count(ok bool) {
	if ok {
		c.ok.Add(1)
	} else {
		c.failed.Add(1)
	}
}

// New checks the options and makes a swarm ready to run.
func New(opts Options) (*Swarm, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	// The server's address is checked the way every device will read it.
	c, err := client.New(opts.Server, client.Options{})
	if err != nil {
		return nil, err
	}
	opts.Server = c.Server()
	for i, u := range opts.Instances {
		ci, err := client.New(u, client.Options{})
		if err != nil {
			return nil, err
		}
		opts.Instances[i] = ci.Server()
	}
	id := make([]byte, 4)
	_, _ = rand.Read(id)
	s := &Swarm{
		opts:      opts,
		runID:     hex.EncodeToString(id),
		statement: opts.SoftwareStatement,
		calls:     newCallLog(opts.SP),
		errs:      newErrorTally(),
		counts:    map[string]*stepCount{},
	}
	for _, st := range steps {
		s.counts[st] = &stepCount{}
	}
	s.http = newHTTPClient(opts.Concurrency, s.calls)
	s.meter = s.http.Transport.(*meter)
	return s, nil
}

// Run puts the TVs on the server and returns when every one has unlinked, or ctx
// ends (the report then says interrupted). The error is a failure no TV could get
// past: the server unreachable from the start, or no software statement.
func (s *Swarm) Run(ctx context.Context) (Report, error) {
	ctx, s.cancel = context.WithCancel(ctx)
	defer s.cancel()
	defer s.meter.closeIdle()
	s.begin.Store(time.Now().UnixNano())
	if err := s.prepare(ctx); err != nil {
		if ctx.Err() != nil {
			return s.Report(true), nil
		}
		return s.Report(false), err
	}
	var wg sync.WaitGroup
	s.launch(ctx, &wg)
	wg.Wait()
	if s.abortErr != nil {
		return s.Report(false), s.abortErr
	}
	return s.Report(ctx.Err() != nil), nil
}

// prepare fetches the sandbox's software statement once for every device, unless
// one was given: a server that offers none, or none at all, stops the run here
// rather than in a thousand TVs.
func (s *Swarm) prepare(ctx context.Context) error {
	if len(s.statement) > 0 {
		return nil
	}
	c, err := client.New(s.opts.Server, client.Options{HTTPClient: s.http})
	if err != nil {
		return err
	}
	st, err := c.FetchSoftwareStatement(ctx)
	var ae *client.APIError
	var pe *client.ProtocolError
	switch {
	case errors.As(err, &ae) && ae.HTTPStatus >= 400 && ae.HTTPStatus < 500, errors.As(err, &pe):
		return &client.NoSoftwareStatementError{Server: s.opts.Server}
	case err != nil:
		return err
	}
	s.statement = []byte(st)
	return nil
}

// launch starts the TVs at the rate asked.
func (s *Swarm) launch(ctx context.Context, wg *sync.WaitGroup) {
	var tick <-chan time.Time
	// A rate past a million a second is as fast as possible.
	if period := time.Duration(float64(time.Second) / s.opts.Rate); s.opts.Rate > 0 && period >= time.Microsecond {
		t := time.NewTicker(period)
		defer t.Stop()
		tick = t.C
	}
	for i := range s.opts.TVs {
		if i > 0 && tick != nil {
			select {
			case <-tick:
			case <-ctx.Done():
				return
			}
		}
		if ctx.Err() != nil {
			return
		}
		s.started.Add(1)
		p, err := s.newPair(i)
		if err != nil {
			s.abort(err)
			return
		}
		wg.Go(func() { p.live(ctx) })
	}
}

// abort stops the run on a failure every TV would meet.
func (s *Swarm) abort(err error) {
	s.abortOnce.Do(func() {
		s.abortErr = err
		s.cancel()
	})
}

// stopped counts a TV that could not go on; not one stopped by the end of the run.
func (s *Swarm) stopped(ctx context.Context) {
	if ctx.Err() == nil {
		s.failed.Add(1)
	}
}

// Progress is a snapshot of a run, safe to take at any time.
type Progress struct {
	Elapsed  time.Duration
	TVs      int   // asked for
	Started  int64 // TVs whose phone began to sign in
	Joined   int64 // TVs that redeemed their link code
	Listed   int64 // TVs their own device list showed
	Active   int64 // joined and not yet gone
	Unlinked int64 // TVs that unlinked themselves at the end
	Failed   int64 // TVs that stopped on an error
	Requests int64 // HTTP calls answered or failed on the network
	Errors   int64 // failed steps, by any cause
}

// Progress reads the run's counters.
func (s *Swarm) Progress() Progress {
	p := Progress{
		TVs:      s.opts.TVs,
		Started:  s.started.Load(),
		Joined:   s.joined.Load(),
		Listed:   s.listed.Load(),
		Active:   s.active.Load(),
		Unlinked: s.unlinked.Load(),
		Failed:   s.failed.Load(),
		Requests: s.calls.count(),
		Errors:   s.errs.count(),
	}
	if b := s.begin.Load(); b != 0 {
		p.Elapsed = time.Since(time.Unix(0, b))
	}
	return p
}

// server is the base URL the n-th device calls: Server, then each of Instances in
// turn.
func (s *Swarm) server(n int) string {
	all := len(s.opts.Instances) + 1
	if n%all == 0 {
		return s.opts.Server
	}
	return s.opts.Instances[n%all-1]
}
