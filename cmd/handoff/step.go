package main

import (
	"flag"
	"sync"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

// deviceCommand is how every step of the flow starts: its flag set with the shared
// device flags and --trace, and, once parsed, where its output goes.
type deviceCommand struct {
	e     *env
	fs    *flag.FlagSet
	df    deviceFlags
	trace bool
	out   output
	// traceHook lets a command see its own exchanges (authn prints the XML it got).
	traceHook func(client.Exchange)
	traceMu   sync.Mutex
}

func newDeviceCommand(e *env, name, usage, about, defDevice string) *deviceCommand {
	c := &deviceCommand{e: e, fs: newFlagSet(e, name, usage, about)}
	c.df.bind(c.fs, e, defDevice)
	c.fs.BoolVar(&c.trace, "trace", false, "print every HTTP exchange on stderr, secrets redacted")
	return c
}

// parse parses the command line; when ok is false the command stops with code.
func (c *deviceCommand) parse(args []string) (rest []string, code int, ok bool) {
	rest, code, ok = parseFlags(c.fs, args)
	c.out = c.df.output(c.e, c.fs.Name())
	return rest, code, ok
}

// open opens the device; role is what the command makes of a device it creates.
func (c *deviceCommand) open(role assets.Role) (*client.Device, error) {
	c.df.preset = presetFor(c.df.device, c.df.preset)
	return c.df.open(c.e, roleFor(c.df.device, role), c.onExchange)
}

func (c *deviceCommand) onExchange(x client.Exchange) {
	c.traceMu.Lock()
	defer c.traceMu.Unlock()
	if c.traceHook != nil {
		c.traceHook(x)
	}
	if c.trace {
		writeExchange(c.e.stderr, x)
	}
}

// openFlagsOnly is how a command that takes flags and no argument starts: parse, refuse
// arguments, open the device (a primary one if new). When ok is false the command
// stops with code, its error already printed.
func (c *deviceCommand) openFlagsOnly(args []string) (d *client.Device, code int, ok bool) {
	rest, code, ok := c.parse(args)
	if !ok {
		return nil, code, false
	}
	if err := noArgs(c.fs.Name(), rest); err != nil {
		return nil, c.out.fail(err), false
	}
	d, err := c.open(assets.RolePrimary)
	if err != nil {
		return nil, c.out.fail(err), false
	}
	return d, exitOK, true
}

// noArgs refuses arguments a command does not take.
func noArgs(command string, rest []string) error {
	if len(rest) > 0 {
		return usagef("%s takes no arguments, but got %q", command, rest[0])
	}
	return nil
}
