package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
)

// registerCompletions gives the shared flags' values to the shells' completion.
func (a *app) registerCompletions(root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("keystore", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, k := range keystoreKinds {
			out = append(out, cobra.CompletionWithDesc(k.name, k.about))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
	_ = root.RegisterFlagCompletionFunc("preset", completePresets)
	_ = root.RegisterFlagCompletionFunc("sp", a.completeSPs)
	_ = root.RegisterFlagCompletionFunc("device", a.completeDeviceNames)
	_ = root.RegisterFlagCompletionFunc("server", cobra.NoFileCompletions)
	_ = root.RegisterFlagCompletionFunc("timeout", cobra.FixedCompletions([]cobra.Completion{"15s", "1m", "10m"}, cobra.ShellCompDirectiveNoFileComp))
}

func completePresets(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, name := range assets.PresetNames() {
		p, _ := assets.LookupPreset(name)
		out = append(out, cobra.CompletionWithDesc(name, p.Title))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

func completeMVPDs(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, m := range assets.MVPDs() {
		out = append(out, cobra.CompletionWithDesc(m.ID, m.Name))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeSPs offers the service providers of the keystore's records, and demo.
func (a *app) completeSPs(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	sps := []string{"demo"}
	if store, err := a.sf.openStore(nil); err == nil {
		for _, k := range knownAccounts(store) {
			if !slices.Contains(sps, k.sp) {
				sps = append(sps, k.sp)
			}
		}
	}
	return sps, cobra.ShellCompDirectiveNoFileComp
}

// completeDeviceNames offers the devices of the keystore's index, each once, with the
// servers it is known on.
func (a *app) completeDeviceNames(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	store, err := a.sf.openStore(nil)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var names []string
	where := map[string][]string{}
	for _, k := range knownAccounts(store) {
		if _, seen := where[k.name]; !seen {
			names = append(names, k.name)
		}
		where[k.name] = append(where[k.name], k.hostPort+"/"+k.sp)
	}
	out := make([]cobra.Completion, 0, len(names))
	for _, n := range names {
		out = append(out, cobra.CompletionWithDesc(n, "on "+strings.Join(where[n], ", ")))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeUnlinkArgs offers the other devices this machine plays on the same server
// and service provider: their names, and their keys.
func (a *app) completeUnlinkArgs(args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	self := a.sf.device
	if self == "" {
		self = "phone"
	}
	var out []cobra.Completion
	for _, dev := range a.localDevices(a.sf.server, a.sf.sp) {
		if dev.name == self || slices.Contains(args, dev.name) || slices.Contains(args, dev.key) {
			continue
		}
		out = append(out, cobra.CompletionWithDesc(dev.name, "key "+dev.key))
		out = append(out, cobra.CompletionWithDesc(dev.key, "device "+dev.name))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
