// Package sandbox is a local SSO service that serves exactly shared/spec/sso-service.md:
// client registration, device headers, service tokens, link codes and the device list
// (§1–3), the MVPD sign-in with REST v2 profiles and the legacy v1 authn call (§4–5),
// Roku platform identity (§6) and its own pages (§7), plus the second-screen sign-in
// of docs/second-screen.md (the TV shows a code; decisions/authorize), stored in
// memory, in an embedded durable store (bbolt), or in a Redis that several instances
// share (store_redis.go).
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"
)

// sweepEvery is how often expired access tokens, link codes and limiter entries are
// dropped.
const sweepEvery = 10 * time.Minute

// Server is the sandbox SSO service.
type Server struct {
	cfg      Config
	store    Store
	keys     *keyring
	verified verifiedTokens
	lists    listCache
	limiter  failureCounter // per device key and per address (IPv6: per /64)
	budget   failureCounter // server-wide: one key, budgetKey
	log      *slog.Logger
	handler  http.Handler
	roku     rokuIdentity
	clock    *sandboxClock
	ids      io.Reader
	faults   *faultSet
	admin    string // the admin API's bearer token

	stopSweep chan struct{}
	sweepDone chan struct{}

	mu       sync.Mutex
	http     *http.Server
	exposure Exposure
	shutdown bool
}

// New opens the store and the keys: in memory, or the store file and, beside it, the
// key file (keys an older store still holds move there first).
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	var store Store
	var keys keyFile = &memoryKeys{}
	switch {
	case cfg.Store != "":
		rs, err := openRedisStore(cfg.Store, "handoff:")
		if err != nil {
			return nil, err
		}
		store, keys = rs, rs.keyFile()
	case cfg.Memory:
		store = NewMemoryStore()
	default:
		dir := cfg.DataDir
		if dir == "" {
			var err error
			if dir, err = DefaultDataDir(); err != nil {
				return nil, err
			}
		}
		var err error
		if store, err = OpenBoltStore(dir); err != nil {
			return nil, err
		}
		keys = fileKeys{filepath.Join(dir, keyFileName)}
		if err := migrateKeys(store, keys); err != nil {
			_ = store.Close()
			return nil, err
		}
	}
	s, err := newWithStore(cfg, store, keys)
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	return s, nil
}

// newWithStore builds the server on an open store and its keys (cfg already
// defaulted).
func newWithStore(cfg Config, store Store, kf keyFile) (*Server, error) {
	clock := newSandboxClock(cfg.Now)
	cfg.Now = clock.Now // every expiry follows the admin clock's offset
	if c, ok := store.(interface{ useClock(func() time.Time) }); ok {
		c.useClock(clock.Now) // TTLs too
	}
	if c, ok := store.(interface{ clockShare() clockShare }); ok {
		clock.shared = c.clockShare() // one offset for every instance on the store
		clock.sync()
	}
	keys, err := loadKeys(kf, cfg.Now())
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, store: store, keys: keys, log: cfg.Logger,
		limiter:   newLimiterFor(store, "link", cfg.LinkFailureLimit, cfg.LinkFailureWindow, cfg.Logger),
		budget:    newLimiterFor(store, "budget", cfg.RedeemFailureBudget, RedeemFailureWindow, cfg.Logger),
		stopSweep: make(chan struct{}), sweepDone: make(chan struct{}),
		clock: clock, ids: newIDSource(cfg.Seed), faults: newFaultSet(cfg.Seed), admin: adminToken(cfg.AdminToken),
	}
	s.handler = s.frame(s.withClockHeader(s.withFaults(s.routes())))
	s.sweep()
	go s.sweepLoop()
	return s, nil
}

func (s *Server) now() time.Time { return s.cfg.Now() }

// Handler serves every endpoint.
func (s *Server) Handler() http.Handler { return s.handler }

// DataLocation says where the state lives: the store file, or "memory".
func (s *Server) DataLocation() string { return s.store.Location() }

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	routeAs := func(path string, methods map[string]http.HandlerFunc, writeErr func(http.ResponseWriter, *apiError)) {
		allow := ""
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
			if h, ok := methods[m]; ok {
				mux.HandleFunc(m+" "+path, h)
				if allow != "" {
					allow += ", "
				}
				allow += m
				if m == http.MethodGet {
					allow += ", " + http.MethodHead
				}
			}
		}
		refuse := errMethod.with("Allow", allow)
		mux.HandleFunc(path, func(w http.ResponseWriter, _ *http.Request) { writeErr(w, refuse) })
	}
	route := func(path string, methods map[string]http.HandlerFunc) { routeAs(path, methods, writeError) }
	route("/o/client/register", map[string]http.HandlerFunc{http.MethodPost: s.handleRegister})
	route("/o/client/token", map[string]http.HandlerFunc{http.MethodPost: s.handleToken})
	route("/sandbox/software-statement", map[string]http.HandlerFunc{http.MethodGet: s.handleSoftwareStatement})
	route("/sandbox/healthz", map[string]http.HandlerFunc{http.MethodGet: func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "OK"})
	}})
	route("/api/{sp}/serviceToken", map[string]http.HandlerFunc{
		http.MethodPost: s.sso(s.handleCreateServiceToken),
		http.MethodGet:  s.sso(s.handleRefreshServiceToken),
	})
	route("/api/{sp}/link", map[string]http.HandlerFunc{http.MethodPost: s.sso(s.handleLink)})
	route("/api/{sp}/unlink", map[string]http.HandlerFunc{http.MethodPost: s.sso(s.handleUnlink)})
	route("/api/{sp}/list", map[string]http.HandlerFunc{http.MethodGet: s.sso(s.handleList)})
	routeAs("/api/v2/{sp}/sessions", map[string]http.HandlerFunc{http.MethodPost: s.v2(s.handleCreateSession)}, writeV2Error)
	routeAs("/api/v2/{sp}/profiles", map[string]http.HandlerFunc{http.MethodGet: s.v2(s.handleProfiles)}, writeV2Error)
	routeAs("/api/v2/{sp}/profiles/{mvpd}", map[string]http.HandlerFunc{http.MethodGet: s.v2(s.handleProfiles)}, writeV2Error)
	routeAs("/api/v2/{sp}/logout", map[string]http.HandlerFunc{http.MethodDelete: s.v2(s.handleLogout)}, writeV2Error)
	routeAs("/api/v2/{sp}/profiles/code/{code}", map[string]http.HandlerFunc{http.MethodGet: s.v2(s.handleProfileByCode)}, writeV2Error)
	routeAs("/api/v2/{sp}/decisions/authorize", map[string]http.HandlerFunc{http.MethodPost: s.v2(s.handleAuthorize)}, writeV2Error)
	routeAs("/api/v2/{sp}/decisions/authorize/{mvpd}", map[string]http.HandlerFunc{http.MethodPost: s.v2(s.handleAuthorize)}, writeV2Error)
	for _, p := range regcodePaths {
		mux.HandleFunc(p, s.handleRegcode) // any method: a refusal is in the v1 shape too
	}
	route(activationPath, map[string]http.HandlerFunc{http.MethodGet: s.handleActivatePage, http.MethodPost: s.handleActivate})
	for _, p := range v1AuthnPaths {
		mux.HandleFunc(p, s.handleAuthnV1) // any method: a refusal is in the v1 shape too
	}
	route("/sandbox/mvpd-login/{code}", map[string]http.HandlerFunc{http.MethodGet: s.handleMVPDLoginPage, http.MethodPost: s.handleMVPDLogin})
	route("/sandbox/roku/connect-token", map[string]http.HandlerFunc{http.MethodPost: s.handleConnectToken})
	route("/sandbox/link", map[string]http.HandlerFunc{http.MethodGet: s.handleLinkPage})
	route("/sandbox/phone", map[string]http.HandlerFunc{http.MethodGet: s.handlePhonePage})
	route("/sandbox/info", map[string]http.HandlerFunc{http.MethodGet: s.handleInfo})
	route("/sandbox/openapi.json", map[string]http.HandlerFunc{http.MethodGet: handleOpenAPI})
	s.routeAdmin(route)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { writeError(w, errNotFound) })
	return mux
}

// Start listens on addr ("127.0.0.1:8765", or port 0 for any) and serves in the
// background; it returns the base URL ("http://127.0.0.1:8765") once /sandbox/healthz
// would answer 200. With Config.LAN it also listens on the LAN address, on the same
// port; Exposure says where.
func (s *Server) Start(addr string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shutdown {
		return "", errors.New("the sandbox was shut down; make a new one")
	}
	if s.http != nil {
		return "", errors.New("the sandbox is already serving")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", &setupError{fmt.Sprintf("cannot listen on %s: %s; choose another with --addr (127.0.0.1:0 takes any free port)", addr, listenProblem(err)), err}
	}
	exposure, lanLn, err := s.expose(ln)
	if err != nil {
		_ = ln.Close()
		return "", err
	}
	s.exposure = exposure
	s.http = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// Above the 8 KiB the spec allows, so that the handler, not net/http, answers
		// oversized headers with the SSO envelope.
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	srv := s.http
	for _, l := range []net.Listener{ln, lanLn} {
		if l == nil {
			continue
		}
		go func() {
			if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.log.Error("sandbox stopped serving", "addr", l.Addr().String(), "err", err)
			}
		}()
	}
	return exposure.Base, nil
}

// Shutdown stops serving gracefully (in-flight requests finish within ctx) and closes
// the store.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if s.shutdown {
		s.mu.Unlock()
		return nil
	}
	s.shutdown = true
	srv := s.http
	s.mu.Unlock()
	close(s.stopSweep)
	<-s.sweepDone
	var err error
	if srv != nil {
		err = srv.Shutdown(ctx)
	}
	return errors.Join(err, s.store.Close())
}

func (s *Server) sweepLoop() {
	defer close(s.sweepDone)
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stopSweep:
			return
		case <-t.C:
			s.sweep()
		}
	}
}

func (s *Server) sweep() {
	now := s.now()
	s.limiter.sweep(now)
	s.budget.sweep(now)
	s.keys.refresh() // keys another instance made or retired
	if _, err := sweepStore(s.store, now, sweepStep); err != nil {
		s.log.Error("sweeping expired records", "err", err)
	}
}
