// Package sandbox is a local SSO service that serves exactly shared/spec/sso-service.md:
// client registration, device headers, service tokens, link codes and the device list,
// stored in memory or in an embedded durable store.
package sandbox

// THIS FILE IS A CONTRACT STUB: the signatures are fixed, the bodies are to be written.

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// Config is everything `handoff serve` can set. Zero durations take the defaults.
type Config struct {
	DataDir               string        // durable store directory; "" with Memory false: the user's state dir
	Memory                bool          // keep everything in memory
	ServiceTokenTTL       time.Duration // 1h
	RefreshGrace          time.Duration // 24h
	LinkCodeTTL           time.Duration // 10m, 1s..60m
	AccessTokenTTL        time.Duration // 6h
	MVPDAuthTTL           time.Duration // 30 days
	ServiceProviders      []string      // allow-list; empty: any valid name
	AllowDeviceIDFallback bool
	NoOpenRegistration    bool // turns off GET /sandbox/software-statement
	Now                   func() time.Time
	Logger                *slog.Logger // one line per request; nil: discard
}

// Server is the sandbox SSO service.
type Server struct{}

// New opens the store and the signing keys.
func New(cfg Config) (*Server, error) { return nil, errors.New("not implemented yet") }

// Handler serves every endpoint.
func (s *Server) Handler() http.Handler { return http.NotFoundHandler() }

// Start listens on addr ("127.0.0.1:8765", or port 0 for any) and serves in the
// background; it returns the base URL ("http://127.0.0.1:8765") once /sandbox/healthz
// would answer 200.
func (s *Server) Start(addr string) (string, error) { return "", errors.New("not implemented yet") }

// Shutdown stops serving gracefully (in-flight requests finish within ctx) and closes
// the store.
func (s *Server) Shutdown(ctx context.Context) error { return nil }
