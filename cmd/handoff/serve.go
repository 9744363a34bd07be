package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/handoff-sso/handoff/sandbox"
)

// durationFlag is a Go duration flag whose error says what syntax to use.
type durationFlag struct{ d *time.Duration }

func (f durationFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

func (f durationFlag) Type() string { return "duration" }

func (f durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a Go duration such as 90s, 10m or 1h30m")
	}
	*f.d = d
	return nil
}

// listFlag collects a repeatable flag.
type listFlag struct{ vs *[]string }

func (f listFlag) String() string {
	if f.vs == nil {
		return ""
	}
	return strings.Join(*f.vs, ",")
}

func (f listFlag) Set(s string) error { *f.vs = append(*f.vs, s); return nil }

func (f listFlag) Type() string { return "name" }

func (a *app) serveCommand() *cobra.Command {
	cfg := sandbox.Config{
		ServiceTokenTTL: sandbox.DefaultServiceTokenTTL,
		RefreshGrace:    sandbox.DefaultRefreshGrace,
		LinkCodeTTL:     sandbox.DefaultLinkCodeTTL,
		AccessTokenTTL:  sandbox.DefaultAccessTokenTTL,
		MVPDAuthTTL:     sandbox.DefaultMVPDAuthTTL,
	}
	var addr string
	var seed uint64
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "run the sandbox SSO service for other terminals and devices",
		Long: `Runs the sandbox SSO service (client registration, service tokens, link codes,
the device list) until SIGINT or SIGTERM, then exits 0. Its state is kept on disk in
the user's state directory unless --data, --memory or --store (a Redis that several
instances share) says otherwise. Every request
is logged on stderr as one line, without secrets (written out in batches, within
100 ms, and at shutdown).

By default it listens on loopback only (--addr). --lan also listens on this machine's LAN address, so
that a phone on the same network opens the QR codes and pages: anyone on that
network can then reach the sandbox, as it says on start. --advertise URL sends
devices to another address (a tunnel, a hostname).

Link-code guessing is bounded server-wide by --redeem-failure-budget (docs/security.md
shows why the default keeps an attacker under 1 % per hour with 100 live codes), a
profile's size by --max-devices-per-profile. The admin API (/sandbox/admin/: clock,
faults, state) takes the bearer token of --admin-token, by default a random one that
is printed and kept for 'handoff sandbox'; --seed makes link codes reproducible, for
tests only.`,
		Example: "handoff serve --memory --addr 127.0.0.1:0\nhandoff serve --lan  # a phone on the same network joins\nhandoff serve --memory --seed 42  # the same link codes every run (tests)\nhandoff serve --store redis://127.0.0.1:6379/0  # one state for several instances",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("seed") {
				cfg.Seed = &seed
			}
			return runServe(cmd.Context(), a.e, cfg, addr)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&addr, "addr", "127.0.0.1:8765", "address to listen on, host:port (port 0: any free port)")
	fs.StringVar(&cfg.DataDir, "data", "", "where the durable store lives (default: the user's state directory)")
	fs.BoolVar(&cfg.Memory, "memory", false, "keep everything in memory; lost on exit")
	fs.StringVar(&cfg.Store, "store", a.e.getenv("HANDOFF_STORE"), "share the state with every instance on one Redis: redis://HOST:PORT/DB (env HANDOFF_STORE)")
	fs.Var(durationFlag{&cfg.ServiceTokenTTL}, "service-token-ttl", "service token lifetime (a Go duration: 90s, 10m, 1h)")
	fs.Var(durationFlag{&cfg.RefreshGrace}, "refresh-grace", "how long after expiry GET serviceToken still refreshes a token (a Go duration)")
	fs.Var(durationFlag{&cfg.LinkCodeTTL}, "link-code-ttl", "link code lifetime, 1s to 60m (a Go duration)")
	fs.Var(durationFlag{&cfg.AccessTokenTTL}, "access-token-ttl", "access token lifetime (a Go duration)")
	fs.Var(durationFlag{&cfg.MVPDAuthTTL}, "mvpd-auth-ttl", "lifetime of a TV provider (MVPD) authentication (a Go duration)")
	fs.Var(listFlag{&cfg.ServiceProviders}, "service-provider", "serve only this service provider name (repeatable; none: any valid name)")
	fs.BoolVar(&cfg.AllowDeviceIDFallback, "allow-device-id-fallback", false, "let POST serviceToken without X-SSO-ID use the device identifier as the SSO id")
	fs.BoolVar(&cfg.NoOpenRegistration, "no-open-registration", false, "turn off GET /sandbox/software-statement")
	bindExposureFlags(fs, &cfg)
	fs.StringVar(&cfg.AdminToken, "admin-token", "", "bearer token of the admin API /sandbox/admin/ (default: a random one, printed and kept 0600 in the state directory)")
	fs.Uint64Var(&seed, "seed", 0, "draw link codes and identifiers from this seed, for reproducible test runs (default: crypto random)")
	fs.IntVar(&cfg.RedeemFailureBudget, "redeem-failure-budget", sandbox.DefaultRedeemFailureBudget, "failed link-code redemptions per hour, server-wide, before every redemption waits (see docs/security.md)")
	fs.IntVar(&cfg.MaxDevicesPerProfile, "max-devices-per-profile", sandbox.DefaultMaxDevicesPerProfile, "devices a profile may hold; a join past it is refused")
	_ = cmd.MarkFlagDirname("data")
	refuseShared(cmd, "it is the server the devices talk to; point them at it with --server", sharedNames...)
	return cmd
}

// runServe serves until ctx ends: a signal is how serve is asked to stop, so it exits 0.
func runServe(ctx context.Context, e *env, cfg sandbox.Config, addr string) error {
	for _, d := range []*time.Duration{&cfg.ServiceTokenTTL, &cfg.RefreshGrace, &cfg.LinkCodeTTL, &cfg.AccessTokenTTL, &cfg.MVPDAuthTTL} {
		if *d <= 0 {
			return usagef("every lifetime must be positive")
		}
	}
	if cfg.RedeemFailureBudget <= 0 || cfg.MaxDevicesPerProfile <= 0 {
		return usagef("--redeem-failure-budget and --max-devices-per-profile must be positive")
	}
	if err := cfg.Validate(); err != nil {
		return &usageError{msg: err.Error()}
	}
	if e.getenv("GOGC") == "" { // set, it is the user's choice of pacing
		defer serveGC.hold()()
	}
	logs := newLogWriter(e.stderr)
	defer func() { _ = logs.Close() }() // after the shutdown, which may still log
	cfg.Logger = slog.New(newLineHandler(logs))
	srv, err := sandbox.New(cfg)
	if err != nil {
		return &setupError{msg: "cannot open the sandbox's store: " + err.Error(), err: err}
	}
	base, err := srv.Start(addr)
	if err != nil {
		_ = srv.Shutdown(context.Background())
		return &setupError{msg: err.Error(), err: err}
	}
	fmt.Fprintf(e.stdout, "handoff sandbox serving on %s\n", base)
	for _, l := range srv.Exposure().Lines() {
		fmt.Fprintln(e.stdout, l)
	}
	if cfg.Memory {
		fmt.Fprintln(e.stdout, "data: in memory (lost on exit)")
	} else {
		fmt.Fprintf(e.stdout, "data: %s\n", srv.DataLocation())
	}
	fmt.Fprintf(e.stdout, "other terminals: export HANDOFF_SERVER=%s\n", base)
	if tokenFile := announceAdmin(e, srv, cfg, base); tokenFile != "" {
		defer func() { _ = sandbox.RemoveAdminToken(tokenFile) }()
	}
	<-ctx.Done()
	fmt.Fprintln(e.stdout, "handoff sandbox: shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return &setupError{msg: "the shutdown did not finish cleanly: requests were still running after 10s, or the data file could not be closed (what was answered before is kept)", err: err}
	}
	return nil
}

// bindExposureFlags are the flags that make the sandbox reachable from other devices.
func bindExposureFlags(fs *pflag.FlagSet, cfg *sandbox.Config) {
	fs.BoolVar(&cfg.LAN, "lan", false, "also serve on this machine's LAN address (printed), so that a phone on the same network opens the QR codes and pages")
	fs.StringVar(&cfg.LANInterface, "lan-interface", "", "with --lan: take the address from this network interface (default: chosen)")
	fs.StringVar(&cfg.Advertise, "advertise", "", "the base URL devices are sent to (a tunnel, a hostname) instead of the LAN or loopback one")
}

// announceAdmin says how to reach the admin API and whether the run is seeded. A
// random admin token is kept for the local CLI; the returned file goes with the
// sandbox.
func announceAdmin(e *env, srv *sandbox.Server, cfg sandbox.Config, base string) string {
	if cfg.Seed != nil {
		fmt.Fprintf(e.stdout, "seed: %d (link codes and identifiers are reproducible: for tests only)\n", *cfg.Seed)
	}
	if cfg.AdminToken != "" {
		fmt.Fprintln(e.stdout, "admin token: the one given with --admin-token")
		return ""
	}
	fmt.Fprintf(e.stdout, "admin token: %s\n", srv.AdminToken())
	dir, err := sandbox.DefaultDataDir()
	if err == nil {
		var path string
		if path, err = sandbox.SaveAdminToken(dir, base, srv.AdminToken()); err == nil {
			fmt.Fprintf(e.stdout, "admin token kept for 'handoff sandbox' in %s\n", path)
			return path
		}
	}
	fmt.Fprintf(e.stderr, "handoff serve: %v; 'handoff sandbox' commands need --admin-token or HANDOFF_ADMIN_TOKEN\n", err)
	return ""
}
