package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// app is one run of handoff: its outside world, the shared flags every command reads,
// and the signal context.
type app struct {
	ctx  context.Context
	e    *env
	args []string // the command line, after the program name
	sf   sharedFlags
	root *cobra.Command
	// stores are where forget looks; tests give their own.
	stores forgetStores
}

func newApp(ctx context.Context, e *env, args []string) *app {
	return &app{ctx: ctx, e: e, args: args, stores: systemStores}
}

// rootLong is written in paragraphs without line breaks: help wraps them to the
// terminal, and the man page would break its lines where these broke.
const rootLong = `See and drive cross-device single sign-on from a terminal. With no command, handoff starts the sandbox SSO service in this process and shows a phone and a TV side by side. The step commands play one device each from the shell, against the server of --server. With --json each prints one JSON object on stdout: the API's answer or its error object, with a "device" field (usage errors too).

The shared flags (--server, --sp, --device, --preset, --keystore, --json, --trace, --timeout, --software-statement) go before or after the command name. HANDOFF_SERVER, HANDOFF_SP, HANDOFF_DEVICE, HANDOFF_KEYSTORE and HANDOFF_TIMEOUT set their defaults; HANDOFF_SOFTWARE_STATEMENT holds the software statement itself. Against the sandbox no statement is needed; a real server's comes from its programmer's dashboard.

Exit codes:
  0    success
  1    refused: a 4xx answer (its code is shown), not signed in yet, no device joined
       before the link code expired (link --wait), or status found an unusable device
  2    usage error (a flag or argument is wrong), or a local set-up failed: keystore,
       data directory, or no terminal for the screen
  3    the server could not be reached or failed (network error, timeout, 5xx)
  130  interrupted by Ctrl-C`

// rootCommand builds the command tree.
func (a *app) rootCommand() *cobra.Command {
	root := a.uiCommand()
	a.root = root
	root.Short = "see and drive cross-device single sign-on from a terminal"
	root.Long = rootLong
	root.Args = unknownCommandArgs
	a.sf.bind(root.PersistentFlags(), a.e)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		// "handoff sigin --sso-id x": cobra found no command, so the root read the
		// flags; the word that is not a command is what is wrong.
		if c == root {
			if word := firstWord(root, a.args); word != "" {
				return unknownCommandArgs(root, []string{word})
			}
		}
		return flagError(c, err)
	})
	a.registerCompletions(root)
	root.SetVersionTemplate(buildVersion().versionTemplate())
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return a.sf.check(cmd) }
	root.AddCommand(
		a.signinCommand(), a.mvpdCommand(), a.linkCommand(), a.redeemCommand(),
		a.profilesCommand(), a.authnCommand(), a.devicesCommand(), a.unlinkCommand(),
		a.refreshCommand(), a.rokuCommand(), a.whoamiCommand(), a.statusCommand(),
		a.forgetCommand(), a.serveCommand(), a.phoneCommand(), a.tvCommand(),
		a.swarmCommand(), versionCommand(),
	)
	root.SetHelpCommand(helpCommand())
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			refuseShared(c, "completion scripts are the same for every device and server", sharedNames...)
		}
	}
	return root
}

// helpCommand is `handoff help [command]`: cobra's own says "Unknown help topic" and
// exits 0 for a command that does not exist.
func helpCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "help [command]",
		Short: "show the commands and the exit codes, or one command's flags",
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				word := args[len(args)-1]
				if len(rest) > 0 {
					word = rest[0]
				}
				return usagef("no help for %q: it is not a command of handoff%s", word, suggest(word, commandNames(target)))
			}
			// The inherited flags join the command's own only when cobra parses its
			// line; help lists them all.
			_ = target.InheritedFlags()
			return target.Help()
		},
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			target, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, sub := range target.Commands() {
				if sub.IsAvailableCommand() {
					out = append(out, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
	}
	return c
}

// unknownCommandArgs is the root's argument check: the default screen takes no
// argument, so a word there is a command that does not exist.
func unknownCommandArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return usagef("unknown command %q for %q%s", args[0], c.CommandPath(), suggest(args[0], commandNames(c)))
}

// stepArgs is the argument check of a command made of steps ("mvpd signin"): a word
// cobra did not find among its steps is a step that does not exist.
func stepArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return usagef("unknown step %q for %q%s", args[0], c.CommandPath(), suggest(args[0], commandNames(c)))
}

// sayWhichStep runs a command made of steps named alone.
func sayWhichStep(c *cobra.Command, _ []string) error {
	return usagef("%s needs a step: %s (see '%s --help')", c.CommandPath(), strings.Join(commandNames(c), " or "), c.CommandPath())
}

// firstWord is the first argument of a command line that is neither a flag nor a
// flag's value, as the root's flags read it.
func firstWord(root *cobra.Command, args []string) string {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			return ""
		case !strings.HasPrefix(arg, "-") || arg == "-":
			return arg
		case strings.Contains(arg, "="):
		case strings.HasPrefix(arg, "--"):
			if f := root.Flags().Lookup(arg[2:]); f != nil && f.NoOptDefVal == "" {
				i++ // its value
			}
		}
	}
	return ""
}

// noArgs refuses arguments a command does not take.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, but got %q", strings.TrimPrefix(c.CommandPath(), "handoff "), args[0])
	}
	return nil
}

func commandNames(c *cobra.Command) []string {
	var names []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	return names
}

var (
	unknownFlag  = regexp.MustCompile(`^unknown (?:shorthand )?flag: '?(-?-?[^' ]+)'?`)
	badFlagValue = regexp.MustCompile(`^invalid argument "(.*)" for "(?:-\w, )?--([\w-]+)" flag: `)
	needsValue   = regexp.MustCompile(`^flag needs an argument: (?:'(\w)' in -\w|--([\w-]+))`)
)

// flagError rewords pflag's errors for people: the flag spelt --name, a suggestion for
// a typo, what a value should look like instead of a Go parse error.
func flagError(c *cobra.Command, err error) error {
	msg := err.Error()
	var names []string
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, "--"+f.Name)
		}
	})
	if m := unknownFlag.FindStringSubmatch(msg); m != nil {
		word, _, _ := strings.Cut(m[1], "=")
		if !strings.HasPrefix(word, "-") {
			word = "-" + word
		}
		return usagef("unknown flag %s for %q%s", word, c.CommandPath(), suggest(word, names))
	}
	if m := needsValue.FindStringSubmatch(msg); m != nil {
		name := m[2]
		if f := c.Flags().ShorthandLookup(m[1]); m[1] != "" && f != nil {
			name = f.Name
		}
		return usagef("--%s needs a value", name)
	}
	if m := badFlagValue.FindStringSubmatch(msg); m != nil {
		f := c.Flags().Lookup(m[2])
		switch {
		case f == nil:
		case f.Value.Type() == "bool":
			return usagef("--%s is true or false, not %q (or leave the value out: --%s)", f.Name, m[1], f.Name)
		case f.Value.Type() == "duration":
			return usagef("--%s takes a duration such as 90s, 10m or 1h30m, not %q", f.Name, m[1])
		default:
			// Our own flag types say in words what they want.
			return usagef("--%s %s", f.Name, strings.TrimPrefix(msg, m[0]))
		}
	}
	return &usageError{msg: msg}
}

// suggest is ", did you mean X?" for the closest of names to word, or "".
func suggest(word string, names []string) string {
	best, bestDist := "", 3
	for _, n := range names {
		d := editDistance(strings.ToLower(word), strings.ToLower(n))
		if strings.HasPrefix(n, word) && len(word) > 2 {
			d = 1
		}
		if d < bestDist {
			best, bestDist = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %s?", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// report tells the user about an error no command has reported: a usage error found
// by cobra (an unknown command or flag, a bad value) or one found before the command
// opened its device. With --json it is also one JSON object on stdout.
func (a *app) report(err error) {
	// The command the line names, as far as it names one, for the --help hint.
	command := ""
	if c, _, ferr := a.root.Find(a.args); ferr == nil && c != nil {
		command = strings.TrimSpace(strings.TrimPrefix(c.CommandPath(), "handoff"))
	}
	_ = output{e: a.e, command: command, json: a.sf.json || askedJSON(a.args), device: a.sf.device}.fail(err)
}

// askedJSON says whether a command line asks for --json, for a usage error that
// stopped the flags being parsed before cobra saw it.
func askedJSON(args []string) bool {
	for _, arg := range args {
		if arg == "--" {
			return false
		}
		if arg == "--json" || arg == "--json=true" {
			return true
		}
	}
	return false
}

// sharedNames are the persistent flags of the root, in the order help lists them.
var sharedNames = []string{"server", "sp", "device", "preset", "keystore", "json", "trace", "timeout", "software-statement"}

// refuseShared makes cmd (and the commands under it) refuse shared flags it has no
// use for: a hidden flag of the same name shadows the shared one, so that help and
// completion leave it out, and giving it is a usage error that says why.
func refuseShared(cmd *cobra.Command, why string, names ...string) {
	for _, name := range names {
		f := cmd.PersistentFlags().VarPF(refusedFlag{flag: name, command: cmd.Name(), why: why}, name, "", "")
		f.Hidden = true
		if slices.Contains([]string{"json", "trace"}, name) {
			f.NoOptDefVal = "true"
		}
	}
}

// refusedFlag is a shared flag a command does not take.
type refusedFlag struct{ flag, command, why string }

func (r refusedFlag) String() string { return "" }
func (r refusedFlag) Type() string   { return "refused" }
func (r refusedFlag) Set(string) error {
	return fmt.Errorf("is not for %s: %s", r.command, r.why)
}
