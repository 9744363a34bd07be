package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

func (a *app) devicesCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "devices",
		Short: "step 6: list the devices of the profile (GET list)",
		Long: `Step 6 of the flow: lists the devices of this device's profile (GET list), with
the key that 'handoff unlink' takes.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := a.step(cmd, "phone")
			d, err := s.open(assets.RolePrimary)
			if err != nil {
				return s.fail(err)
			}
			ctx, cancel := s.context()
			defer cancel()
			list, err := d.Devices(ctx)
			if err != nil {
				return s.fail(err)
			}
			return s.ok(list.Raw, list, func(w io.Writer) {
				writeDeviceTable(w, list, d.State().Key, time.Now())
			})
		},
	}
}

// writeDeviceTable prints the profile's devices, this one first, then the most
// recently seen; the calling device is named in words, not only marked.
func writeDeviceTable(w io.Writer, list *client.DeviceList, self string, now time.Time) {
	if len(list.Devices) == 0 {
		fmt.Fprintln(w, "no device in this profile")
		return
	}
	keys := make([]string, 0, len(list.Devices))
	for k := range list.Devices {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if (a == self) != (b == self) {
			return a == self
		}
		if la, lb := list.Devices[a].LastSeen, list.Devices[b].LastSeen; la != lb {
			return la > lb
		}
		return a < b
	})
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tTYPE\tDEVICE\tOS\tJOINED\tLAST SEEN\t")
	for _, k := range keys {
		dev := list.Devices[k]
		note := ""
		if k == self {
			note = "this device"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k, orDash(dev.DeviceType),
			orDash(strings.TrimSpace(dev.Manufacturer+" "+dev.Model)),
			orDash(strings.TrimSpace(dev.OS+" "+dev.OSVersion)), orDash(dev.Type),
			ago(now, dev.LastSeen.Time()), note)
	}
	tw.Flush()
	// The last column is empty on most rows; tabwriter pads it anyway.
	for _, line := range strings.Split(strings.TrimSuffix(table.String(), "\n"), "\n") {
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
