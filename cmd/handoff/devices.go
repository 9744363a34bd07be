package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

func (a *app) devicesCommand() *cobra.Command {
	var wide bool
	cmd := &cobra.Command{
		Use:   "devices",
		Short: "step 6: list the devices of the profile (GET list)",
		Long: `Step 6 of the flow: lists the devices of this device's profile (GET list), with
the key that 'handoff unlink' takes. Attributes the table has no column for are listed
under it, shortened; --wide shows every attribute of every device in full. Text the
server sent is shown with its control characters escaped (\x1b, \u202e).`,
		Example: "handoff devices\nhandoff devices --wide",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := a.step(cmd, "phone")
			return s.call(assets.RolePrimary, func(ctx context.Context, d *client.Device) error {
				list, err := d.Devices(ctx)
				if err != nil {
					return s.fail(err)
				}
				return s.ok(list.Raw, list, func(w io.Writer) {
					if wide {
						writeDeviceDetails(w, list, d.State().Key, time.Now())
						return
					}
					writeDeviceTable(w, list, d.State().Key, time.Now())
				})
			})
		},
	}
	cmd.Flags().BoolVar(&wide, "wide", false, "every attribute of every device, in full, one device after another")
	return cmd
}

// tableAttributes are the attributes the table's columns show.
var tableAttributes = []string{"deviceType", "manufacturer", "model", "os", "osVersion", "type", "lastSeen", "userAgent"}

// maxDetail is how much of an attribute's value the table's notes show.
const maxDetail = 60

// writeDeviceTable prints the profile's devices, this one first, then the most
// recently seen, named and worded as the TUI's table has them (present); the calling
// device is named in words, not only marked. Every text
// the server sent is made terminal-safe before tabwriter measures it.
func writeDeviceTable(w io.Writer, list *client.DeviceList, self string, now time.Time) {
	if len(list.Devices) == 0 {
		fmt.Fprintln(w, "no device in this profile")
		return
	}
	keys := present.SortDevices(list.Devices, self)
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tTYPE\tDEVICE\tOS\tJOINED BY\tLAST SEEN\t")
	for _, k := range keys {
		dev := list.Devices[k]
		note := ""
		if k == self {
			note = "this device"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", present.Safe(k), cell(dev.DeviceType),
			cell(present.DeviceName(dev)),
			cell(strings.TrimSpace(dev.OS+" "+dev.OSVersion)), cell(present.JoinedBy(dev.Type)),
			present.Ago(now, dev.LastSeen.Time()), note)
	}
	tw.Flush()
	// The last column is empty on most rows; tabwriter pads it anyway.
	for _, line := range strings.Split(strings.TrimSuffix(table.String(), "\n"), "\n") {
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	writeOtherAttributes(w, list, keys)
}

// writeOtherAttributes lists, under the table, the attributes it has no column for
// (the seed names no closed set), one device a line, each value shortened.
func writeOtherAttributes(w io.Writer, list *client.DeviceList, keys []string) {
	header := false
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	defer tw.Flush()
	for _, k := range keys {
		dev := list.Devices[k]
		var parts []string
		for _, name := range dev.Names() {
			if slices.Contains(tableAttributes, name) {
				continue
			}
			parts = append(parts, present.Safe(name)+"="+shorten(present.Safe(dev.Text(name)), maxDetail))
		}
		if len(parts) == 0 {
			continue
		}
		if !header {
			fmt.Fprintln(tw, "\nother attributes (all of them in full: handoff devices --wide):")
			header = true
		}
		fmt.Fprintf(tw, "  %s\t%s\n", present.Safe(k), strings.Join(parts, "  "))
	}
}

// writeDeviceDetails is devices --wide: every attribute of every device, as received
// and terminal-safe, one device after another; lastSeen also says how long ago.
func writeDeviceDetails(w io.Writer, list *client.DeviceList, self string, now time.Time) {
	if len(list.Devices) == 0 {
		fmt.Fprintln(w, "no device in this profile")
		return
	}
	for i, k := range present.SortDevices(list.Devices, self) {
		if i > 0 {
			fmt.Fprintln(w)
		}
		title := present.Safe(k)
		if k == self {
			title += "  (this device)"
		}
		fmt.Fprintln(w, title)
		dev := list.Devices[k]
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, name := range dev.Names() {
			value := orDash(present.Safe(dev.Text(name)))
			if name == "lastSeen" && dev.LastSeen != 0 {
				value += " (" + present.Ago(now, dev.LastSeen.Time()) + ")"
			}
			fmt.Fprintf(tw, "  %s\t%s\n", present.Safe(name), value)
		}
		tw.Flush()
	}
}

// cell is a table cell from the server: terminal-safe, "-" when empty, and shortened
// so that one long value does not push every row off the screen.
func cell(s string) string {
	return shorten(orDash(present.Safe(s)), maxDetail)
}

// shorten cuts s to n characters, ending in "…" when it was longer.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
