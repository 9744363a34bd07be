package present

import (
	"sort"
	"strings"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

// DeviceName is what a person calls a listed device, the same in every view (the
// pane's header, the device list, the CLI): a known device's title ("iPhone 16",
// "Samsung Tizen TV"), else its maker and model ("Sony Bravia"), else its type, else
// "a device".
func DeviceName(e client.DeviceEntry) string {
	for _, p := range assets.Presets() {
		if p.Info.Manufacturer == e.Manufacturer && p.Info.Model == e.Model && e.Model != "" {
			return p.Title
		}
	}
	if name := strings.TrimSpace(e.Manufacturer + " " + e.Model); name != "" {
		return name
	}
	if e.DeviceType != "" {
		return e.DeviceType
	}
	return "a device"
}

// JoinedBy words how a device joined its profile (the list's type): the column
// "Joined by" in both the CLI and the TUI.
func JoinedBy(joinType string) string {
	switch joinType {
	case "regular":
		return "sign-in"
	case "sso":
		return "link code"
	case "platformSSO":
		return "Roku identity"
	case "":
		return "—"
	}
	return joinType
}

// SortDevices orders a profile's device keys as every view lists them: this device
// (self) first, then the most recently seen, then by key.
func SortDevices(list map[string]client.DeviceEntry, self string) []string {
	keys := make([]string, 0, len(list))
	for k := range list {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if (a == self) != (b == self) {
			return a == self
		}
		if la, lb := list[a].LastSeen, list[b].LastSeen; la != lb {
			return la > lb
		}
		return a < b
	})
	return keys
}
