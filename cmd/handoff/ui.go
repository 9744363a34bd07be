package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/keystore"
	"github.com/handoff-sso/handoff/sandbox"
	"github.com/handoff-sso/handoff/tui"
)

const (
	uiUsage    = "handoff [--memory | --data DIR] [--lan [--lan-interface NAME]] [--advertise URL] [--keystore KIND] [--plain] [--tour] [flags]"
	phoneUsage = "handoff phone [--server URL] [--device NAME] [--preset NAME] [--plain] [--tour]"
	tvUsage    = "handoff tv [--server URL] [--device NAME] [--preset NAME] [--plain] [--tour]"
	// sandboxPort is where the embedded sandbox listens when it can, so that other
	// terminals find it without being told; when another program holds it, the next
	// ports are tried in order, so that a restart finds the same address again (the
	// devices' secrets are kept per server address) before any free port is taken.
	sandboxPort  = 8765
	sandboxPorts = 10
)

func init() {
	register(&command{name: "ui", summary: "the phone and the TV side by side, on the embedded sandbox", usage: uiUsage, run: runUI})
	register(&command{name: "phone", summary: "one phone in this terminal (signs in, makes link codes)", usage: phoneUsage,
		run: func(ctx context.Context, e *env, args []string) int {
			return runOneDevice(ctx, e, args, "phone", phoneUsage, assets.RolePrimary)
		}})
	register(&command{name: "tv", summary: "one TV in this terminal (joins with a link code)", usage: tvUsage,
		run: func(ctx context.Context, e *env, args []string) int {
			return runOneDevice(ctx, e, args, "tv", tvUsage, assets.RoleSecondary)
		}})
}

// screenFlags are the flags of every interactive command.
type screenFlags struct{ plain, tour bool }

func (f *screenFlags) bind(fs *flag.FlagSet) {
	fs.BoolVar(&f.plain, "plain", false, "for screen readers: no boxes, no colours, no animation, one device at a time")
	fs.BoolVar(&f.tour, "tour", false, "start with the guided tour of the six steps")
}

func runUI(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "handoff", uiUsage, `Starts the sandbox SSO service in this process (on 127.0.0.1:8765, or another free
port when that one is taken; the address is on screen so that other terminals can
join with 'handoff tv --server URL') and shows a phone and a TV side by side, each
with its own identity, tokens and keystore entry.`)
	var sf screenFlags
	sf.bind(fs)
	cfg := sandbox.Config{}
	fs.BoolVar(&cfg.Memory, "memory", false, "keep the sandbox's data in memory; lost on exit")
	fs.StringVar(&cfg.DataDir, "data", "", "directory of the sandbox's durable store (default: the user's state directory)")
	bindExposureFlags(fs, &cfg)
	sp := fs.String("sp", envOr(e, "HANDOFF_SP", "demo"), "service provider (env HANDOFF_SP)")
	ks := fs.String("keystore", envOr(e, "HANDOFF_KEYSTORE", "auto"), "where secrets live: auto, keyring, kernel (Linux), file (plain text, 0600) or memory (env HANDOFF_KEYSTORE)")
	phonePreset := fs.String("phone-preset", "iphone", "the phone's preset when it is first created: "+fmt.Sprint(assets.PresetNames()))
	tvPreset := fs.String("tv-preset", "tizen", "the TV's preset when it is first created: "+fmt.Sprint(assets.PresetNames()))
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "handoff: unexpected argument %q; run 'handoff help'\n", rest[0])
		return exitUsage
	}
	for _, name := range []string{*phonePreset, *tvPreset} {
		if _, ok := assets.LookupPreset(name); !ok {
			fmt.Fprintf(e.stderr, "handoff: unknown preset %q; choose one of %v\n", name, assets.PresetNames())
			return exitUsage
		}
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(e.stderr, "handoff: %v; run 'handoff help ui'\n", err)
		return exitUsage
	}
	srv, err := sandbox.New(cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "handoff: cannot open the sandbox's store: %v\n", err)
		return exitRefused
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	base, err := startSandbox(srv)
	if err != nil {
		fmt.Fprintf(e.stderr, "handoff: cannot start the sandbox: %v\n", err)
		return exitUnreachable
	}
	warnings := srv.Exposure().Lines()
	store, err := keystore.Open(*ks, keystore.Options{Warn: func(msg string) { warnings = append(warnings, msg) }})
	if err != nil {
		fmt.Fprintf(e.stderr, "handoff: %v\n", err)
		return exitUsage
	}
	relay := tui.NewTraceRelay()
	var specs []tui.DeviceSpec
	for _, d := range []struct {
		label, name, preset string
		role                assets.Role
	}{{"Phone", "phone", *phonePreset, assets.RolePrimary}, {"TV", "tv", *tvPreset, assets.RoleSecondary}} {
		dev, err := client.OpenDevice(client.DeviceConfig{Name: d.name, Server: base, SP: *sp, Preset: d.preset, Role: d.role, Store: store, Trace: relay.Trace})
		if err != nil {
			fmt.Fprintf(e.stderr, "handoff: %s\n", client.Explain(err))
			return exitUsage
		}
		specs = append(specs, tui.DeviceSpec{Label: d.label, Device: dev})
	}
	note := "embedded sandbox, data in " + srv.DataLocation()
	if cfg.Memory {
		note = "embedded sandbox, in memory"
	}
	return runProgram(ctx, e, relay, tui.Options{Devices: specs, Server: base, Note: note, Plain: sf.plain, Tour: sf.tour, Notices: warnings})
}

// startSandbox listens on the first free port from sandboxPort, or any free port.
func startSandbox(srv *sandbox.Server) (string, error) {
	for port := sandboxPort; port < sandboxPort+sandboxPorts; port++ {
		if base, err := srv.Start(fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			return base, nil
		}
	}
	return srv.Start("127.0.0.1:0")
}

// runOneDevice is `handoff phone` and `handoff tv`: one device against a server that
// runs elsewhere. An unreachable server is not fatal: the screen says so and retries.
func runOneDevice(ctx context.Context, e *env, args []string, name, usage string, role assets.Role) int {
	fs := newFlagSet(e, name, usage, `Shows one device in this terminal, against the server given by --server (by
default the sandbox of another terminal's 'handoff', on 127.0.0.1:8765). Its
identity and secrets persist between runs under its --device name.`)
	var df deviceFlags
	df.bind(fs, e, name)
	var sf screenFlags
	sf.bind(fs)
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "handoff %s: unexpected argument %q; run 'handoff help %s'\n", name, rest[0], name)
		return exitUsage
	}
	if df.json {
		fmt.Fprintf(e.stderr, "handoff %s: --json is for the step commands (signin, link, redeem…), not the interactive screen\n", name)
		return exitUsage
	}
	relay := tui.NewTraceRelay()
	// Keystore warnings are shown on screen: stderr is hidden behind it.
	var warn bytes.Buffer
	dev, err := df.open(&env{stdin: e.stdin, stdout: e.stdout, stderr: &warn, getenv: e.getenv}, role, relay.Trace)
	if err != nil {
		if msg := client.Explain(err); !strings.HasPrefix(msg, "Something unexpected") {
			fmt.Fprintf(e.stderr, "handoff %s: %s\n", name, msg)
		} else {
			fmt.Fprintf(e.stderr, "handoff %s: %v\n", name, err)
		}
		return exitUsage
	}
	label := "Phone"
	if role == assets.RoleSecondary {
		label = "TV"
	}
	var notices []string
	for _, l := range strings.Split(strings.TrimSpace(warn.String()), "\n") {
		if l = strings.TrimSpace(strings.TrimPrefix(l, "handoff:")); l != "" {
			notices = append(notices, l)
		}
	}
	return runProgram(ctx, e, relay, tui.Options{Devices: []tui.DeviceSpec{{Label: label, Device: dev}}, Server: df.server,
		Plain: sf.plain, Tour: sf.tour, Notices: notices, Probe: reachable(df.server)})
}

// reachable checks that a server answers HTTP at all, before any step needs it: a
// refusal (a real server has no sandbox software statement) is an answer.
func reachable(server string) func(context.Context) error {
	c, err := client.New(server, client.Options{})
	return func(ctx context.Context) error {
		if err != nil {
			return err
		}
		if _, err := c.FetchSoftwareStatement(ctx); client.IsUnavailable(err) {
			return err
		}
		return nil
	}
}

func runProgram(ctx context.Context, e *env, relay *tui.TraceRelay, opts tui.Options) int {
	opts.QueryTerminal = true
	opts.Dark = true
	p := tea.NewProgram(tui.New(opts), tea.WithContext(ctx))
	relay.Attach(p)
	_, err := p.Run()
	switch {
	case err == nil, errors.Is(err, tea.ErrProgramKilled), errors.Is(err, context.Canceled):
		return exitOK
	case errors.Is(err, tea.ErrProgramPanic):
		fmt.Fprintln(e.stderr, "handoff: the screen stopped on an internal error; each device's secrets were saved after its last step. Start it again, and report this if it happens again.")
		return exitUnreachable
	}
	// Bubble Tea's own words name /dev/tty and its internals; what the user can do is
	// find a terminal.
	fmt.Fprintln(e.stderr, "handoff: the interactive screen needs a terminal and could not open one: run it in a terminal window (or tmux), or use the step commands (handoff signin, link, redeem, devices; see 'handoff help').")
	return exitUsage
}
