package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/sandbox"
	"github.com/handoff-sso/handoff/tui"
)

const (
	// sandboxPort is where the embedded sandbox listens when it can, so that other
	// terminals find it without being told; when another program holds it, the next
	// ports are tried in order, so that a restart finds the same address again (the
	// devices' secrets are kept per server address) before any free port is taken.
	sandboxPort  = 8765
	sandboxPorts = 10
)

// screenFlags are the flags of every interactive command.
type screenFlags struct{ plain, tour, reveal bool }

func (f *screenFlags) bind(fs *pflag.FlagSet) {
	fs.BoolVar(&f.plain, "plain", false, "for screen readers: no boxes, no colours, no animation, one device at a time")
	fs.BoolVar(&f.tour, "tour", false, "start with the guided tour of the six steps")
	fs.BoolVar(&f.reveal, "reveal-secrets", false, "keep tokens and secrets in what y copies (curl) and E saves (HAR); redacted by default")
}

// uiCommand is handoff with no command: the sandbox in this process and the two
// devices side by side. It is the root of the command tree.
func (a *app) uiCommand() *cobra.Command {
	var sf screenFlags
	cfg := sandbox.Config{}
	var phonePreset, tvPreset string
	cmd := &cobra.Command{
		Use:   "handoff",
		Short: "the phone and the TV side by side, on the embedded sandbox",
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, name := range []string{"server", "device", "preset", "json", "trace", "timeout", "software-statement"} {
				if cmd.Flags().Changed(name) {
					return usagef("--%s is for the step commands (signin, link, redeem…) and handoff phone or tv; the two-device screen runs its own sandbox with a phone and a tv", name)
				}
			}
			for _, name := range []string{phonePreset, tvPreset} {
				if _, ok := assets.LookupPreset(name); !ok {
					return usagef("unknown preset %q; choose one of %s", name, strings.Join(assets.PresetNames(), ", "))
				}
			}
			if err := cfg.Validate(); err != nil {
				return &usageError{msg: err.Error()}
			}
			if err := a.needTerminal(); err != nil {
				return err
			}
			return a.runUI(cmd.Context(), cfg, sf, phonePreset, tvPreset)
		},
	}
	sf.bind(cmd.Flags())
	cmd.Flags().BoolVar(&cfg.Memory, "memory", false, "keep the sandbox's data in memory; lost on exit")
	cmd.Flags().StringVar(&cfg.DataDir, "data", "", "where the sandbox keeps its durable store (default: the user's state directory)")
	bindExposureFlags(cmd.Flags(), &cfg)
	cmd.Flags().StringVar(&phonePreset, "phone-preset", "iphone", "the phone's preset when it is first created: "+strings.Join(assets.PresetNames(), ", "))
	cmd.Flags().StringVar(&tvPreset, "tv-preset", "tizen", "the TV's preset when it is first created: "+strings.Join(assets.PresetNames(), ", "))
	_ = cmd.MarkFlagDirname("data")
	_ = cmd.RegisterFlagCompletionFunc("phone-preset", completePresets)
	_ = cmd.RegisterFlagCompletionFunc("tv-preset", completePresets)
	return cmd
}

// needTerminal refuses to start the interactive screen where nobody can see it.
func (a *app) needTerminal() error {
	if a.e.stdoutTTY {
		return nil
	}
	return &setupError{msg: "the interactive screen needs a terminal, and stdout is not one: run it in a terminal window (or tmux), or use the step commands (handoff signin, link, redeem, devices; see 'handoff help')"}
}

func (a *app) runUI(ctx context.Context, cfg sandbox.Config, sf screenFlags, phonePreset, tvPreset string) error {
	srv, err := sandbox.New(cfg)
	if err != nil {
		return &setupError{msg: "cannot open the sandbox's store: " + err.Error(), err: err}
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	base, err := startSandbox(srv)
	if err != nil {
		return &setupError{msg: "cannot start the sandbox: " + err.Error(), err: err}
	}
	warnings := srv.Exposure().Lines()
	forgetAdminToken := keepAdminToken(srv, base, &warnings)
	defer forgetAdminToken()
	if cfg.Memory && !a.sf.flags.Changed("keystore") && a.e.getenv("HANDOFF_KEYSTORE") == "" {
		// A sandbox that forgets its data would refuse every token a keyring kept.
		a.sf.keystore = "memory"
	}
	store, err := a.sf.openStore(func(msg string) { warnings = append(warnings, msg) })
	if err != nil {
		return err
	}
	relay := tui.NewTraceRelay()
	var specs []tui.DeviceSpec
	for _, d := range []struct {
		label, name, preset string
		role                assets.Role
	}{{"Phone", "phone", phonePreset, assets.RolePrimary}, {"TV", "tv", tvPreset, assets.RoleSecondary}} {
		dev, err := client.OpenDevice(client.DeviceConfig{Name: d.name, Server: base, SP: a.sf.sp, Preset: d.preset, Role: d.role, Store: store, Trace: relay.Trace, RevealSecrets: sf.reveal})
		if err != nil {
			return err
		}
		specs = append(specs, tui.DeviceSpec{Label: d.label, Device: dev})
	}
	note := "embedded sandbox, data in " + srv.DataLocation()
	if cfg.Memory {
		note = "embedded sandbox, in memory"
	}
	return a.runProgram(ctx, relay, tui.Options{Devices: specs, Server: base, Note: note, Plain: sf.plain, Tour: sf.tour, Notices: warnings, RevealSecrets: sf.reveal})
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

func (a *app) phoneCommand() *cobra.Command {
	return a.oneDeviceCommand("phone", "one phone in this terminal (signs in, makes link codes)", assets.RolePrimary)
}

func (a *app) tvCommand() *cobra.Command {
	return a.oneDeviceCommand("tv", "one TV in this terminal (joins with a link code)", assets.RoleSecondary)
}

// oneDeviceCommand is handoff phone and handoff tv: one device against a server that
// runs elsewhere. An unreachable server is not fatal: the screen says so and retries.
func (a *app) oneDeviceCommand(name, short string, role assets.Role) *cobra.Command {
	var sf screenFlags
	cmd := &cobra.Command{
		Use:   name,
		Short: short,
		Long: `Shows one device in this terminal, against the server given by --server (by
default the sandbox of another terminal's 'handoff', on 127.0.0.1:8765). Its
identity and secrets persist between runs under its --device name.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.needTerminal(); err != nil {
				return err
			}
			s := a.step(cmd, name)
			// Keystore warnings are shown on screen: stderr is hidden behind it.
			var notices []string
			store, err := a.sf.openStore(func(msg string) { notices = append(notices, msg) })
			if err != nil {
				return err
			}
			if a.sf.statementFile == "-" && a.e.stdinTTY {
				return usagef("--software-statement - reads stdin, and here stdin is the terminal the screen needs: give the statement's file, or the statement itself in HANDOFF_SOFTWARE_STATEMENT")
			}
			statement, err := a.sf.softwareStatement(a.e)
			if err != nil {
				return err
			}
			relay := tui.NewTraceRelay()
			dev, err := client.OpenDevice(client.DeviceConfig{
				Name: s.device(), Server: a.sf.server, SP: a.sf.sp, Preset: presetFor(s.device(), a.sf.preset),
				Role: role, Store: store, Trace: relay.Trace, SoftwareStatement: statement, RevealSecrets: sf.reveal,
			})
			if err != nil {
				return err
			}
			label := "Phone"
			if role == assets.RoleSecondary {
				label = "TV"
			}
			return a.runProgram(cmd.Context(), relay, tui.Options{Devices: []tui.DeviceSpec{{Label: label, Device: dev}}, Server: a.sf.server,
				Plain: sf.plain, Tour: sf.tour, Notices: notices, Probe: reachable(a.sf.server), RevealSecrets: sf.reveal})
		},
	}
	sf.bind(cmd.Flags())
	refuseShared(cmd, "the interactive screen shows its own answers and exchanges; the step commands (signin, link, redeem…) print them", "json", "trace", "timeout")
	return cmd
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

// runProgram runs the screen until the user quits: q is a clean exit, Ctrl-C (as a
// key, or SIGINT from outside) exits 130 as it does in a shell.
func (a *app) runProgram(ctx context.Context, relay *tui.TraceRelay, opts tui.Options) error {
	opts.QueryTerminal = true
	opts.Dark = true
	m := &interruptible{Model: tui.New(opts)}
	p := tea.NewProgram(m, tea.WithContext(ctx))
	relay.Attach(p)
	_, err := p.Run()
	switch {
	case m.interrupted.Load():
		return &interruptedError{signal: syscall.SIGINT}
	case err == nil:
		return nil
	case errors.Is(err, tea.ErrProgramKilled), errors.Is(err, context.Canceled):
		if a.ctx.Err() != nil {
			return a.interruption(err)
		}
		return nil
	case errors.Is(err, tea.ErrProgramPanic):
		return &screenError{msg: "the screen stopped on an internal error; each device's secrets were saved after its last step. Start it again, and report this if it happens again."}
	}
	// Bubble Tea's own words name /dev/tty and its internals; what the user can do is
	// find a terminal.
	return &setupError{msg: "the interactive screen needs a terminal and could not open one: run it in a terminal window (or tmux), or use the step commands (handoff signin, link, redeem, devices; see 'handoff help').", err: err}
}

// screenError is the interactive screen stopping on its own fault (exit 3).
type screenError struct{ msg string }

func (e *screenError) Error() string { return e.msg }

// interruptible notes a Ctrl-C the screen receives as a key: the screen quits on it
// as on q, and only the exit code tells them apart.
type interruptible struct {
	tea.Model
	interrupted atomic.Bool
}

func (m *interruptible) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "ctrl+c" {
		m.interrupted.Store(true)
	}
	var cmd tea.Cmd
	m.Model, cmd = m.Model.Update(msg)
	return m, cmd
}
