package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// usageError is a command line that cannot run: a missing argument, a bad code, a
// flag value that makes no sense. It is found before any network call and exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// newFlagSet makes a command's flag set: parse errors and --help go to stderr, and the
// usage names the command, says what it does, then lists the flags.
func newFlagSet(e *env, name, usage, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: %s\n\n%s\n\nFlags:\n", usage, strings.TrimSpace(about))
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, letting flags and arguments come in any order
// ("handoff redeem 123456 --device tv" as well as "--device tv 123456"); "--" ends
// the flags. ok is false when the command must stop now, with code: 0 after --help,
// 2 after a bad flag (the flag package has already said what was wrong).
func parseFlags(fs *flag.FlagSet, args []string) (rest []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, exitOK, true
		}
		if endedByDashes(fs, args[:len(args)-len(left)]) {
			return append(rest, left...), exitOK, true
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// endedByDashes says whether Parse stopped at a "--" that ends the flags, rather than
// at an argument: a "--" right after a flag that takes a value is that value
// ("--device --"), so the words Parse consumed are walked from the start.
func endedByDashes(fs *flag.FlagSet, consumed []string) bool {
	for i := 0; i < len(consumed); i++ {
		if consumed[i] == "--" {
			return true
		}
		if takesValue(fs, consumed[i]) {
			i++
		}
	}
	return false
}

// takesValue says whether a flag word is followed by its value: "--device" is,
// "--device=tv" and the boolean "--json" are not.
func takesValue(fs *flag.FlagSet, word string) bool {
	name := strings.TrimPrefix(strings.TrimPrefix(word, "-"), "-")
	if strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, isBool := f.Value.(interface{ IsBoolFlag() bool })
	return !isBool || !b.IsBoolFlag()
}
