package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/keystore"
)

const (
	defaultServer  = "http://127.0.0.1:8765"
	defaultTimeout = 15 * time.Second
)

// keystoreKinds are the values of --keystore, with what each means; the flag's help,
// its check and its completion all read this list.
var keystoreKinds = []struct{ name, about string }{
	{"auto", "the OS keyring when one answers, else the kernel keyring (Linux), else memory"},
	{"keyring", "the OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)"},
	{"kernel", "the Linux kernel keyring of this user: never on disk, shared by every command"},
	{"file", "a plain-text file readable only by you (0600)"},
	{"memory", "memory only: forgotten when the command ends"},
}

func keystoreNames() []string {
	names := make([]string, len(keystoreKinds))
	for i, k := range keystoreKinds {
		names[i] = k.name
	}
	return names
}

// sharedFlags are the persistent flags of the root: every command that drives a
// device reads them, before or after its name on the command line.
type sharedFlags struct {
	server, sp, device, preset, keystore string
	// statementFile is --software-statement: a file, or "-" for stdin.
	statementFile string
	json, trace   bool
	timeout       time.Duration
	// timeoutEnv is HANDOFF_TIMEOUT when it is not a duration: refused by check.
	timeoutEnv string
	flags      *pflag.FlagSet
}

// bind declares the shared flags on fs, with their environment variables as defaults.
func (f *sharedFlags) bind(fs *pflag.FlagSet, e *env) {
	f.flags = fs
	f.timeout = defaultTimeout
	if v := e.getenv("HANDOFF_TIMEOUT"); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			f.timeout = d
		} else {
			f.timeoutEnv = v
		}
	}
	fs.StringVar(&f.server, "server", envOr(e, "HANDOFF_SERVER", defaultServer), "base URL of the SSO service (env HANDOFF_SERVER)")
	fs.StringVar(&f.sp, "sp", envOr(e, "HANDOFF_SP", "demo"), "service provider name (env HANDOFF_SP)")
	fs.StringVar(&f.device, "device", e.getenv("HANDOFF_DEVICE"), "device name; its identity and secrets persist between runs (env HANDOFF_DEVICE; default: the command's own, phone or tv)")
	fs.StringVar(&f.preset, "preset", "", "device preset when the device is first created: "+strings.Join(assets.PresetNames(), ", "))
	fs.StringVar(&f.keystore, "keystore", envOr(e, "HANDOFF_KEYSTORE", "auto"), "where secrets live: "+strings.Join(keystoreNames(), ", ")+" (env HANDOFF_KEYSTORE)")
	fs.BoolVar(&f.json, "json", false, "print one JSON object on stdout")
	fs.BoolVar(&f.trace, "trace", false, "print every HTTP exchange on stderr, secrets redacted")
	fs.DurationVar(&f.timeout, "timeout", f.timeout, "how long a step waits for the server (env HANDOFF_TIMEOUT)")
	fs.StringVar(&f.statementFile, "software-statement", "", "FILE holding the software statement a real server's registration needs ('-' reads stdin; env HANDOFF_SOFTWARE_STATEMENT holds the statement itself); default: the sandbox's own")
	_ = cobra.MarkFlagFilename(fs, "software-statement")
}

// maxStatement bounds what --software-statement reads: a statement is a JWT of a few
// KiB, and a wrong file (a disk image, /dev/zero) must not be read whole.
const maxStatement = 64 << 10

// softwareStatement is the statement for Dynamic Client Registration: the file of
// --software-statement, else HANDOFF_SOFTWARE_STATEMENT, else nil (the client then
// asks the sandbox for one, and names the flag when the server has none).
func (f *sharedFlags) softwareStatement(e *env) ([]byte, error) {
	if f.statementFile == "" {
		return []byte(strings.TrimSpace(e.getenv("HANDOFF_SOFTWARE_STATEMENT"))), nil
	}
	var (
		data []byte
		err  error
		from = f.statementFile
	)
	if from == "-" {
		from = "stdin"
		data, err = io.ReadAll(io.LimitReader(e.stdin, maxStatement+1))
	} else {
		var file *os.File
		if file, err = os.Open(from); err == nil {
			data, err = io.ReadAll(io.LimitReader(file, maxStatement+1))
			file.Close()
		}
	}
	switch {
	case err != nil:
		return nil, usagef("cannot read the software statement from %s: %s", from, reason(err))
	case len(data) > maxStatement:
		return nil, usagef("%s is not a software statement: it is over %d KiB, and a statement is a JWT of a few KiB", from, maxStatement>>10)
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, usagef("%s holds no software statement: give the file the programmer's dashboard gave you", from)
	}
	return data, nil
}

// check refuses what the shared flags (or their variables) say wrong, before cmd
// runs; a command that has no use for a flag is not stopped by its variable.
func (f *sharedFlags) check(cmd *cobra.Command) error {
	uses := func(name string) bool { return cmd.Flags().Lookup(name) == f.flags.Lookup(name) }
	if uses("timeout") {
		if f.timeoutEnv != "" && !f.flags.Changed("timeout") {
			return usagef("HANDOFF_TIMEOUT=%q is not a duration: give one such as 15s or 2m", f.timeoutEnv)
		}
		if f.timeout <= 0 {
			return usagef("--timeout must be positive, such as 15s or 2m")
		}
	}
	if uses("keystore") && !slices.Contains(keystoreNames(), f.keystore) {
		return usagef("unknown keystore %q; choose one of %s", f.keystore, strings.Join(keystoreNames(), ", "))
	}
	if uses("preset") && f.preset != "" {
		if _, ok := assets.LookupPreset(f.preset); !ok {
			return usagef("unknown preset %q; choose one of %s", f.preset, strings.Join(assets.PresetNames(), ", "))
		}
	}
	return nil
}

// openStore opens the keystore --keystore names; warn receives what the user must be
// told about it (a fallback to memory, plain text on disk).
func (f *sharedFlags) openStore(warn func(string)) (keystore.Store, error) {
	store, err := keystore.Open(f.keystore, keystore.Options{Warn: warn})
	switch {
	case err == nil:
		return store, nil
	case errors.Is(err, keystore.ErrUnavailable):
		return nil, &setupError{msg: fmt.Sprintf("%s; unlock or start the OS keyring (on Linux: gnome-keyring), or choose --keystore auto, kernel, memory or file", storeProblem(err)), err: err}
	default:
		return nil, &setupError{msg: storeProblem(err), err: err}
	}
}

// step is how every step of the flow runs: the shared flags, the device the command
// plays by default, and where its output goes.
type step struct {
	a         *app
	cmd       *cobra.Command
	defDevice string
	// traceHook lets a command see its own exchanges (authn prints the XML it got).
	traceHook func(client.Exchange)
	traceMu   sync.Mutex
	storeKind string
}

func (a *app) step(cmd *cobra.Command, defDevice string) *step {
	return &step{a: a, cmd: cmd, defDevice: defDevice}
}

// device is the device's name: --device, HANDOFF_DEVICE or the command's own.
func (s *step) device() string {
	if s.a.sf.device != "" {
		return s.a.sf.device
	}
	return s.defDevice
}

func (s *step) out() output {
	return output{
		e: s.a.e, command: strings.TrimPrefix(s.cmd.CommandPath(), "handoff "),
		json: s.a.sf.json, device: s.device(), storeKind: s.storeKind,
	}
}

// ok prints a success: raw is the API's answer as received, for --json (nil when the
// server sent none, or not whole: resp is printed then).
func (s *step) ok(raw json.RawMessage, resp any, human func(w io.Writer)) error {
	return s.out().ok(raw, resp, human)
}

// fail reports err, naming the signal when one stopped the command.
func (s *step) fail(err error) error { return s.out().fail(s.a.interruption(err)) }

// context bounds one step's calls by --timeout.
func (s *step) context() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.cmd.Context(), s.a.sf.timeout)
}

// open opens the keystore and the device; role is what the command makes of a device
// it creates. Keystore warnings go to stderr.
func (s *step) open(role assets.Role) (*client.Device, error) {
	store, err := s.a.sf.openStore(func(msg string) { fmt.Fprintln(s.a.e.stderr, "handoff:", msg) })
	if err != nil {
		return nil, err
	}
	s.storeKind = store.Kind()
	statement, err := s.a.sf.softwareStatement(s.a.e)
	if err != nil {
		return nil, err
	}
	name := s.device()
	return client.OpenDevice(client.DeviceConfig{
		Name: name, Server: s.a.sf.server, SP: s.a.sf.sp, Preset: presetFor(name, s.a.sf.preset),
		Role: roleFor(name, role), Store: store, Trace: s.onExchange, SoftwareStatement: statement,
	})
}

// call opens the device and runs one request on it, bounded by --timeout; a device
// that cannot be opened is reported here, the request's own outcome by do.
func (s *step) call(role assets.Role, do func(ctx context.Context, d *client.Device) error) error {
	d, err := s.open(role)
	if err != nil {
		return s.fail(err)
	}
	ctx, cancel := s.context()
	defer cancel()
	return do(ctx, d)
}

func (s *step) onExchange(x client.Exchange) {
	s.traceMu.Lock()
	defer s.traceMu.Unlock()
	if s.traceHook != nil {
		s.traceHook(x)
	}
	if s.a.sf.trace {
		writeExchange(s.a.e.stderr, x)
	}
}

// roleFor is the role a device gets when a command first creates it: the command's
// own (redeem and roku signin make TVs), or a TV for a device named "tv…" or "roku…"
// so that `--device tv2 whoami` does not create a phone.
func roleFor(device string, role assets.Role) assets.Role {
	name := strings.ToLower(device)
	if strings.HasPrefix(name, "tv") || strings.HasPrefix(name, "roku") {
		return assets.RoleSecondary
	}
	return role
}

// presetFor is the preset a new device gets when --preset is not given: a Roku for a
// device named "roku…", otherwise the role's default (chosen by the client).
func presetFor(device, preset string) string {
	if preset == "" && strings.HasPrefix(strings.ToLower(device), "roku") {
		return "roku"
	}
	return preset
}

func envOr(e *env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}
