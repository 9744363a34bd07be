package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestParseFlagsTakesFlagsAnywhere(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		rest   []string
		device string
		json   bool
	}{
		{[]string{"123456"}, []string{"123456"}, "tv", false},
		{[]string{"123", "456", "--device", "tv2", "--json"}, []string{"123", "456"}, "tv2", true},
		{[]string{"--json", "123-456", "-device=box"}, []string{"123-456"}, "box", true},
		{[]string{"--device", "tv3", "--", "--json"}, []string{"--json"}, "tv3", false},
		{nil, nil, "tv", false},
	} {
		var stderr bytes.Buffer
		e := &env{stderr: &stderr, getenv: func(string) string { return "" }}
		c := newDeviceCommand(e, "redeem", redeemUsage, "about", "tv")
		rest, code, ok := c.parse(tc.args)
		if !ok || code != exitOK {
			t.Fatalf("%q: ok %v code %d, stderr %q", tc.args, ok, code, stderr.String())
		}
		if !slices.Equal(rest, tc.rest) || c.df.device != tc.device || c.df.json != tc.json || c.out.json != tc.json || c.out.device != tc.device {
			t.Errorf("%q: rest %q device %q json %v", tc.args, rest, c.df.device, c.df.json)
		}
	}
}

func TestParseFlagsHelpAndBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"--help"}, exitOK, "Usage: handoff signin --sso-id ID"},
		{[]string{"-h"}, exitOK, "-sso-id"},
		{[]string{"--nope"}, exitUsage, "flag provided but not defined: -nope"},
		{[]string{"--sso-id"}, exitUsage, "flag needs an argument"},
		{[]string{"alice", "--json=maybe"}, exitUsage, "invalid boolean value"},
	} {
		var stdout, stderr bytes.Buffer
		e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
		code := runSignIn(t.Context(), e, tc.args)
		if code != tc.code || !strings.Contains(stderr.String(), tc.says) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d saying %q", tc.args, code, stderr.String(), tc.code, tc.says)
		}
		if stdout.Len() != 0 {
			t.Errorf("%q: stdout %q, want nothing", tc.args, stdout.String())
		}
	}
}

func TestDeviceFlagsFromEnvironment(t *testing.T) {
	vars := map[string]string{"HANDOFF_SERVER": "http://10.0.0.2:9000", "HANDOFF_SP": "acme", "HANDOFF_DEVICE": "tv7", "HANDOFF_KEYSTORE": "memory"}
	e := &env{stderr: &bytes.Buffer{}, getenv: func(k string) string { return vars[k] }}
	c := newDeviceCommand(e, "devices", devicesUsage, "about", "phone")
	if _, _, ok := c.parse([]string{"--sp", "other"}); !ok {
		t.Fatal("parse failed")
	}
	if c.df.server != "http://10.0.0.2:9000" || c.df.sp != "other" || c.df.device != "tv7" || c.df.keystore != "memory" {
		t.Errorf("flags = %+v", c.df)
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for name, c := range commands {
		if name == "ui" {
			continue // opens the terminal UI; its own tests cover its flags
		}
		var stdout, stderr bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
		if code := c.run(t.Context(), e, []string{"--help"}); code != exitOK || !strings.Contains(stderr.String(), "Usage: handoff "+name) {
			t.Errorf("%s --help: exit %d, stderr %q", name, code, stderr.String())
		}
		stderr.Reset()
		if code := c.run(t.Context(), e, []string{"--no-such-flag"}); code != exitUsage || !strings.Contains(stderr.String(), "no-such-flag") {
			t.Errorf("%s --no-such-flag: exit %d, stderr %q", name, code, stderr.String())
		}
		if stdout.Len() != 0 {
			t.Errorf("%s: usage went to stdout: %q", name, stdout.String())
		}
	}
}

// FuzzParseFlags: whatever the command line, parsing never panics, and the words that
// are not flags come back in their order.
func FuzzParseFlags(f *testing.F) {
	f.Add("123 456 --device tv --json")
	f.Add("--json -- --device")
	f.Add("--device=tv2 -json=false 12-34 --")
	f.Add("--device")
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		e := &env{stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
		c := newDeviceCommand(e, "redeem", redeemUsage, "about", "tv")
		rest, _, ok := c.parse(args)
		if !ok {
			return
		}
		var words []string
		for i := 0; i < len(args); i++ {
			a := args[i]
			switch {
			case a == "--":
				words = append(words, args[i+1:]...)
				i = len(args)
			case a == "-" || !strings.HasPrefix(a, "-"):
				words = append(words, a)
			case wantsValue(a):
				i++ // the next word is this flag's value, whatever it looks like
			}
		}
		if !slices.Equal(rest, words) {
			t.Errorf("%q: rest %q, want %q", args, rest, words)
		}
	})
}

// wantsValue says whether a flag word of redeem is followed by its value ("--device tv"),
// written out here rather than asked of the flag set, as an independent oracle.
func wantsValue(a string) bool {
	name := strings.TrimLeft(a, "-")
	if strings.Contains(name, "=") || !strings.HasPrefix(a, "-") || a == "-" {
		return false
	}
	switch name {
	case "json", "trace", "h", "help":
		return false
	}
	return true
}
