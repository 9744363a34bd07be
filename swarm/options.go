package swarm

import (
	"fmt"
	"math"
	"time"

	"github.com/handoff-sso/handoff/client"
)

// Options say what crowd to put on which server.
type Options struct {
	Server string // base URL
	// Instances are further base URLs of the same service, sharing its state (the
	// sandbox on one Redis): pair i's phone calls one and its TV the next, so every
	// join crosses instances.
	Instances []string
	SP        string // service provider; default client.DefaultServiceProvider
	TVs       int    // how many TVs (each with the phone that makes its link code)
	// Rate is how many new TVs start each second; 0 starts them all at once.
	Rate float64
	// Duration is how long each TV keeps listing and refreshing after it joined;
	// then it and its phone unlink. Zero: one list, then unlink.
	Duration time.Duration
	// Interval is each TV's pause between two calls during Duration; zero: none.
	Interval time.Duration
	// Concurrency caps the calls in flight at once (and the connections open);
	// 0: DefaultConcurrency.
	Concurrency int
	// SoftwareStatement for the devices' registration; empty: the sandbox's.
	SoftwareStatement []byte
}

// Bounds on the options: past them a typo would exhaust the machine, not the server.
const (
	DefaultConcurrency = 64
	MaxConcurrency     = 4096
	MaxTVs             = 1_000_000
)

func (o *Options) check() error {
	if o.SP == "" {
		o.SP = client.DefaultServiceProvider
	}
	if o.Concurrency == 0 {
		o.Concurrency = DefaultConcurrency
	}
	switch {
	case o.TVs < 1 || o.TVs > MaxTVs:
		return &client.InputError{Msg: fmt.Sprintf("The number of TVs must be 1 to %d (got %d).", MaxTVs, o.TVs)}
	case o.Rate < 0 || math.IsNaN(o.Rate) || math.IsInf(o.Rate, 0):
		return &client.InputError{Msg: fmt.Sprintf("The rate of new TVs per second must be 0 (all at once) or more (got %g).", o.Rate)}
	case o.Duration < 0, o.Interval < 0:
		return &client.InputError{Msg: "The duration and the interval must not be negative."}
	case o.Concurrency < 1 || o.Concurrency > MaxConcurrency:
		return &client.InputError{Msg: fmt.Sprintf("The concurrency must be 1 to %d calls in flight (got %d).", MaxConcurrency, o.Concurrency)}
	}
	return nil
}
