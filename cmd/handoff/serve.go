package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/sandbox"
)

const serveUsage = "handoff serve [--addr HOST:PORT] [--data DIR | --memory] [flags]"

func init() {
	register(&command{
		name:    "serve",
		summary: "run the sandbox SSO service for other terminals and devices",
		usage:   serveUsage,
		run:     runServe,
	})
}

// durationFlag is a Go duration flag whose error says what syntax to use.
type durationFlag struct{ d *time.Duration }

func (f durationFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

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

func runServe(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "serve", serveUsage, `Runs the sandbox SSO service (client registration, service tokens, link codes,
the device list) until SIGINT or SIGTERM. Its state is kept on disk in the user's
state directory unless --data or --memory says otherwise. Every request is logged
on stderr as one line, without secrets.`)
	cfg := sandbox.Config{
		ServiceTokenTTL: sandbox.DefaultServiceTokenTTL,
		RefreshGrace:    sandbox.DefaultRefreshGrace,
		LinkCodeTTL:     sandbox.DefaultLinkCodeTTL,
		AccessTokenTTL:  sandbox.DefaultAccessTokenTTL,
		MVPDAuthTTL:     sandbox.DefaultMVPDAuthTTL,
	}
	addr := fs.String("addr", "127.0.0.1:8765", "`host:port` to listen on (port 0: any free port)")
	fs.StringVar(&cfg.DataDir, "data", "", "`directory` of the durable store (default: $XDG_STATE_HOME/handoff or ~/.local/state/handoff)")
	fs.BoolVar(&cfg.Memory, "memory", false, "keep everything in memory; lost on exit")
	fs.Var(durationFlag{&cfg.ServiceTokenTTL}, "service-token-ttl", "service token lifetime (a Go `duration`: 90s, 10m, 1h)")
	fs.Var(durationFlag{&cfg.RefreshGrace}, "refresh-grace", "how long after expiry GET serviceToken still refreshes a token (a Go `duration`)")
	fs.Var(durationFlag{&cfg.LinkCodeTTL}, "link-code-ttl", "link code lifetime, 1s to 60m (a Go `duration`)")
	fs.Var(durationFlag{&cfg.AccessTokenTTL}, "access-token-ttl", "access token lifetime (a Go `duration`)")
	fs.Var(durationFlag{&cfg.MVPDAuthTTL}, "mvpd-auth-ttl", "lifetime of a TV provider (MVPD) authentication (a Go `duration`)")
	fs.Var(listFlag{&cfg.ServiceProviders}, "service-provider", "serve only this service provider `name` (repeatable; none: any valid name)")
	fs.BoolVar(&cfg.AllowDeviceIDFallback, "allow-device-id-fallback", false, "POST serviceToken without X-SSO-ID uses the device identifier as the SSO id")
	fs.BoolVar(&cfg.NoOpenRegistration, "no-open-registration", false, "turn off GET /sandbox/software-statement")
	fs.IntVar(&cfg.RedeemFailureBudget, "redeem-failure-budget", sandbox.DefaultRedeemFailureBudget, "failed link-code redemptions per hour, server-wide, before every redemption waits (`n`; see docs/security.md)")
	fs.IntVar(&cfg.MaxDevicesPerProfile, "max-devices-per-profile", sandbox.DefaultMaxDevicesPerProfile, "devices a profile may hold; a join past it is refused (`n`)")
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "handoff serve: unexpected argument %q; run 'handoff serve --help'\n", rest[0])
		return exitUsage
	}
	for _, d := range []*time.Duration{&cfg.ServiceTokenTTL, &cfg.RefreshGrace, &cfg.LinkCodeTTL, &cfg.AccessTokenTTL, &cfg.MVPDAuthTTL} {
		if *d <= 0 {
			fmt.Fprintln(e.stderr, "handoff serve: every lifetime must be positive; run 'handoff serve --help'")
			return exitUsage
		}
	}
	if cfg.RedeemFailureBudget <= 0 || cfg.MaxDevicesPerProfile <= 0 {
		fmt.Fprintln(e.stderr, "handoff serve: --redeem-failure-budget and --max-devices-per-profile must be positive; run 'handoff serve --help'")
		return exitUsage
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(e.stderr, "handoff serve: %v; run 'handoff serve --help'\n", err)
		return exitUsage
	}
	cfg.Logger = slog.New(slog.NewTextHandler(e.stderr, nil))
	srv, err := sandbox.New(cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "handoff serve: %v\n", err)
		if errors.Is(err, sandbox.ErrStoreDamaged) {
			return exitUsage
		}
		return exitRefused
	}
	base, err := srv.Start(*addr)
	if err != nil {
		_ = srv.Shutdown(context.Background())
		fmt.Fprintf(e.stderr, "handoff serve: %v\n", err)
		return exitUnreachable
	}
	fmt.Fprintf(e.stdout, "handoff sandbox serving on %s\n", base)
	if cfg.Memory {
		fmt.Fprintln(e.stdout, "data: in memory (lost on exit)")
	} else {
		fmt.Fprintf(e.stdout, "data: %s\n", srv.DataLocation())
	}
	fmt.Fprintf(e.stdout, "other terminals: export HANDOFF_SERVER=%s\n", base)
	<-ctx.Done()
	fmt.Fprintln(e.stdout, "handoff sandbox: shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintln(e.stderr, "handoff serve: the shutdown did not finish cleanly: requests were still running after 10s, or the data file could not be closed (what was answered before is kept)")
		return exitUnreachable
	}
	return exitOK
}
