package swarm

import (
	"context"
	"io"
	"sync"
)

// Run is `handoff swarm`: it runs the crowd with its progress on out (redrawn in
// place when out is a terminal) and returns the report, which the caller prints as
// text or JSON.
func Run(ctx context.Context, opts Options, out io.Writer, terminal bool) (Report, error) {
	s, err := New(opts)
	if err != nil {
		return Report{}, err
	}
	v := newView(out, terminal, s.opts.Server)
	viewCtx, stopView := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { v.follow(viewCtx, s.Progress) })
	r, err := s.Run(ctx)
	stopView()
	wg.Wait()
	return r, err
}
