package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/keystore"
)

const defaultServer = "http://127.0.0.1:8765"

// deviceFlags are the flags every device command takes, with their environment
// variables as defaults.
type deviceFlags struct {
	server   string
	sp       string
	device   string
	preset   string
	keystore string
	json     bool
}

// bind adds the flags to fs; defDevice is the device name when neither the flag nor
// HANDOFF_DEVICE says.
func (f *deviceFlags) bind(fs *flag.FlagSet, e *env, defDevice string) {
	fs.StringVar(&f.server, "server", envOr(e, "HANDOFF_SERVER", defaultServer), "SSO service base URL (env HANDOFF_SERVER)")
	fs.StringVar(&f.sp, "sp", envOr(e, "HANDOFF_SP", "demo"), "service provider (env HANDOFF_SP)")
	fs.StringVar(&f.device, "device", envOr(e, "HANDOFF_DEVICE", defDevice), "device name; its identity and secrets persist between runs (env HANDOFF_DEVICE)")
	fs.StringVar(&f.preset, "preset", "", "device preset when the device is first created: "+fmt.Sprint(assets.PresetNames()))
	fs.StringVar(&f.keystore, "keystore", envOr(e, "HANDOFF_KEYSTORE", "auto"), "where secrets live: auto, keyring, kernel (Linux), file (plain text, 0600) or memory (env HANDOFF_KEYSTORE)")
	fs.BoolVar(&f.json, "json", false, "print one JSON object on stdout")
}

// open opens the keystore and the device. Keystore warnings go to stderr.
func (f *deviceFlags) open(e *env, role assets.Role, trace func(client.Exchange)) (*client.Device, error) {
	if f.preset != "" {
		if _, ok := assets.LookupPreset(f.preset); !ok {
			return nil, usagef("unknown preset %q; choose one of %v", f.preset, assets.PresetNames())
		}
	}
	store, err := keystore.Open(f.keystore, keystore.Options{Warn: func(msg string) { fmt.Fprintln(e.stderr, "handoff:", msg) }})
	if err != nil {
		// Every keystore failure comes from the --keystore choice: unknown kind, or a
		// keyring asked for by name that is not there.
		if errors.Is(err, keystore.ErrUnavailable) {
			return nil, usagef("%s; unlock or start the OS keyring (on Linux: gnome-keyring), or choose --keystore auto, memory or file", err)
		}
		return nil, &usageError{msg: err.Error()}
	}
	return client.OpenDevice(client.DeviceConfig{
		Name: f.device, Server: f.server, SP: f.sp, Preset: f.preset, Role: role,
		Store: store, Trace: trace,
	})
}

// output is how a device command prints its answer, from --json and --device.
func (f *deviceFlags) output(e *env, command string) output {
	return output{e: e, command: command, json: f.json, device: f.device}
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
