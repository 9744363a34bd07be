package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/keystore"
)

const completionUsage = "handoff completion bash|zsh|fish"

// subcommands names the second words of commands that have them ("mvpd signin");
// each command's file adds its own.
var subcommands = map[string][]string{
	"completion": {"bash", "zsh", "fish"},
}

func init() {
	register(&command{
		name:    "completion",
		summary: "print a shell completion script (bash, zsh or fish)",
		usage:   completionUsage,
		run:     runCompletion,
	})
}

func runCompletion(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "completion", completionUsage, `Prints a completion script for the commands and flags of this handoff. Load it:
  bash:  source <(handoff completion bash)        (or save it in ~/.local/share/bash-completion/completions/handoff)
  zsh:   source <(handoff completion zsh)         (or save it as _handoff in a directory of $fpath)
  fish:  handoff completion fish > ~/.config/fish/completions/handoff.fish`)
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(e.stderr, "handoff: completion needs one shell: bash, zsh or fish")
		return exitUsage
	}
	specs := completionSpecs(ctx)
	switch rest[0] {
	case "bash":
		writeBash(e.stdout, specs)
	case "zsh":
		writeZsh(e.stdout, specs)
	case "fish":
		writeFish(e.stdout, specs)
	default:
		fmt.Fprintf(e.stderr, "handoff: no completion for shell %q; choose bash, zsh or fish\n", rest[0])
		return exitUsage
	}
	return exitOK
}

// cmdSpec is what completion knows of a command.
type cmdSpec struct {
	name, summary string
	subs          []string
	flags         []flagSpec // its own and its subcommands'
}

type flagSpec struct {
	name, usage string
	takesValue  bool
}

// completionSpecs reads every registered command's flags from its own --help, so that
// a command needs nothing more than its flag set to be completed.
func completionSpecs(ctx context.Context) []cmdSpec {
	names := make([]string, 0, len(commands))
	for n := range commands {
		if n != "ui" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	specs := make([]cmdSpec, 0, len(names))
	for _, n := range names {
		c := commands[n]
		spec := cmdSpec{name: n, summary: c.summary, subs: subcommands[n]}
		seen := map[string]bool{}
		for _, prefix := range append([][]string{nil}, wrapEach(spec.subs)...) {
			for _, f := range helpFlags(ctx, c, append(prefix, "--help")) {
				if !seen[f.name] {
					seen[f.name] = true
					spec.flags = append(spec.flags, f)
				}
			}
		}
		specs = append(specs, spec)
	}
	return specs
}

func wrapEach(words []string) [][]string {
	out := make([][]string, len(words))
	for i, w := range words {
		out[i] = []string{w}
	}
	return out
}

// flagLine matches a flag in the flag package's usage output: "  -png FILE".
var flagLine = regexp.MustCompile(`^  -([A-Za-z0-9][\w.-]*)( \S+)?(?:\t(.*))?$`)

// helpFlags runs a command with --help and reads the flags its usage lists.
func helpFlags(ctx context.Context, c *command, args []string) []flagSpec {
	var out bytes.Buffer
	c.run(ctx, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out, getenv: func(string) string { return "" }}, args)
	lines := strings.Split(out.String(), "\n")
	var flags []flagSpec
	for i, line := range lines {
		m := flagLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		usage := m[3]
		if usage == "" && i+1 < len(lines) {
			usage = strings.TrimSpace(lines[i+1])
		}
		if j := strings.Index(usage, " (default "); j >= 0 {
			usage = usage[:j]
		}
		flags = append(flags, flagSpec{name: m[1], usage: usage, takesValue: m[2] != ""})
	}
	return flags
}

// flagValues are the values a flag can take, when they form a short list.
func flagValues(name string) []string {
	switch name {
	case "preset":
		return assets.PresetNames()
	case "keystore":
		return keystore.Kinds
	case "mvpd":
		var ids []string
		for _, m := range assets.MVPDs() {
			ids = append(ids, m.ID)
		}
		return ids
	}
	return nil
}

// fileFlags take a path.
var fileFlags = map[string]bool{"png": true, "data": true}

func specNames(specs []cmdSpec) []string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.name
	}
	return names
}

func writeBash(w io.Writer, specs []cmdSpec) {
	names := specNames(specs)
	fmt.Fprintf(w, `# bash completion for handoff. Load it with: source <(handoff completion bash)
_handoff() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W %q -- "$cur"))
        return
    fi
    case $prev in
`, strings.Join(append(names, "help", "--help", "--version"), " "))
	for _, name := range valueFlagNames(specs) {
		if fileFlags[name] {
			fmt.Fprintf(w, "        -%s|--%s) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", name, name)
		} else if v := flagValues(name); v != nil {
			fmt.Fprintf(w, "        -%s|--%s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", name, name, strings.Join(v, " "))
		}
	}
	fmt.Fprint(w, "    esac\n    local words flags\n    case ${COMP_WORDS[1]} in\n")
	for _, s := range specs {
		var flags []string
		for _, f := range s.flags {
			flags = append(flags, "--"+f.name)
		}
		fmt.Fprintf(w, "        %s) words=%q; flags=%q ;;\n", s.name, strings.Join(s.subs, " "), strings.Join(append(flags, "--help"), " "))
	}
	fmt.Fprint(w, `        help) words=`+fmt.Sprintf("%q", strings.Join(names, " "))+` ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    elif [[ $COMP_CWORD -eq 2 && -n $words ]]; then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    fi
}
complete -F _handoff handoff
`)
}

func writeZsh(w io.Writer, specs []cmdSpec) {
	fmt.Fprint(w, `#compdef handoff
# zsh completion for handoff. Load it with: source <(handoff completion zsh)
_handoff() {
    local -a cmds
    cmds=(
`)
	for _, s := range specs {
		fmt.Fprintf(w, "        %s\n", zshQuote(s.name+":"+strings.ReplaceAll(s.summary, ":", `\:`)))
	}
	fmt.Fprintf(w, "        %s\n", zshQuote("help:show the commands, or the flags of one"))
	fmt.Fprint(w, `    )
    if (( CURRENT == 2 )); then
        _describe 'command' cmds
        return
    fi
    case $words[2] in
`)
	for _, s := range specs {
		fmt.Fprintf(w, "        %s)\n", s.name)
		if len(s.subs) > 0 {
			fmt.Fprintf(w, "            if (( CURRENT == 3 )); then _values 'subcommand' %s; return; fi\n", strings.Join(s.subs, " "))
		}
		fmt.Fprint(w, "            _arguments")
		for _, f := range s.flags {
			fmt.Fprintf(w, " \\\n                %s", zshQuote(zshFlagSpec(f)))
		}
		fmt.Fprint(w, " \\\n                '*:argument:_default'\n            ;;\n")
	}
	fmt.Fprintf(w, "        help) _values 'command' %s ;;\n", strings.Join(specNames(specs), " "))
	fmt.Fprint(w, `    esac
}
if [[ $zsh_eval_context[-1] == loadautoload ]]; then
    _handoff "$@"
else
    compdef _handoff handoff
fi
`)
}

// zshFlagSpec is one _arguments spec: "--png[write the QR…]:FILE:_files".
func zshFlagSpec(f flagSpec) string {
	desc := strings.NewReplacer("[", `\[`, "]", `\]`, ":", `\:`).Replace(f.usage)
	spec := "--" + f.name + "[" + desc + "]"
	switch {
	case !f.takesValue:
	case fileFlags[f.name]:
		spec += ":" + f.name + ":_files"
	case flagValues(f.name) != nil:
		spec += ":" + f.name + ":(" + strings.Join(flagValues(f.name), " ") + ")"
	default:
		spec += ":" + f.name + ": "
	}
	return spec
}

func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func writeFish(w io.Writer, specs []cmdSpec) {
	names := specNames(specs)
	fmt.Fprintln(w, "# fish completion for handoff. Save it: handoff completion fish > ~/.config/fish/completions/handoff.fish")
	fmt.Fprintln(w, "complete -c handoff -f")
	fmt.Fprintln(w, "complete -c handoff -l version -d 'print the version'")
	fmt.Fprintln(w, "complete -c handoff -n __fish_use_subcommand -a help -d 'show the commands, or the flags of one'")
	for _, s := range specs {
		fmt.Fprintf(w, "complete -c handoff -n __fish_use_subcommand -a %s -d %s\n", s.name, zshQuote(s.summary))
	}
	for _, s := range specs {
		cond := zshQuote("__fish_seen_subcommand_from " + s.name)
		if len(s.subs) > 0 {
			subs := strings.Join(s.subs, " ")
			fmt.Fprintf(w, "complete -c handoff -n %s -a %s\n",
				zshQuote("__fish_seen_subcommand_from "+s.name+"; and not __fish_seen_subcommand_from "+subs), zshQuote(subs))
		}
		for _, f := range s.flags {
			opt := ""
			switch {
			case !f.takesValue:
			case fileFlags[f.name]:
				opt = " -r -F"
			case flagValues(f.name) != nil:
				opt = " -x -a " + zshQuote(strings.Join(flagValues(f.name), " "))
			default:
				opt = " -x"
			}
			fmt.Fprintf(w, "complete -c handoff -n %s -l %s%s -d %s\n", cond, f.name, opt, zshQuote(f.usage))
		}
	}
	fmt.Fprintf(w, "complete -c handoff -n '__fish_seen_subcommand_from help' -a %s\n", zshQuote(strings.Join(names, " ")))
}

// valueFlagNames are the names of every flag that takes a value, once each.
func valueFlagNames(specs []cmdSpec) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range specs {
		for _, f := range s.flags {
			if f.takesValue && !seen[f.name] {
				seen[f.name] = true
				out = append(out, f.name)
			}
		}
	}
	sort.Strings(out)
	return out
}
