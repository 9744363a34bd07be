package assets

import (
	"sort"
	"strings"
)

// Role is the part a device plays in the seed's flow.
type Role string

const (
	// RolePrimary is the signed-in device that makes link codes (a phone or tablet).
	RolePrimary Role = "primary"
	// RoleSecondary is the device that joins with a code (a TV or a streaming box).
	RoleSecondary Role = "secondary"
)

// DeviceInfo is the JSON object sent, Base64-encoded, in X-Device-Info.
type DeviceInfo struct {
	PrimaryHardwareType string `json:"primaryHardwareType,omitempty"`
	Model               string `json:"model,omitempty"`
	Manufacturer        string `json:"manufacturer,omitempty"`
	Vendor              string `json:"vendor,omitempty"`
	Version             string `json:"version,omitempty"`
	OSName              string `json:"osName,omitempty"`
	OSVersion           string `json:"osVersion,omitempty"`
	ConnectionType      string `json:"connectionType,omitempty"`
	UserAgent           string `json:"userAgent,omitempty"`
	ApplicationID       string `json:"applicationId,omitempty"`
	DisplayWidth        int    `json:"displayWidth,omitempty"`
	DisplayHeight       int    `json:"displayHeight,omitempty"`
}

// Preset is a simulated device: what it says about itself on the wire.
type Preset struct {
	Name      string // short id used on the command line: "iphone", "roku"
	Title     string // what a person reads: "iPhone 16"
	Role      Role
	UserAgent string
	Info      DeviceInfo
	// PlatformSSO marks a device that can join through its platform identity (Roku).
	PlatformSSO bool
}

const appID = "com.example.handoff"

var presets = []Preset{
	{Name: "iphone", Title: "iPhone 16", Role: RolePrimary,
		UserAgent: "StreamApp/4.2 (iPhone17,3; iOS 18.1; Scale/3.00)",
		Info: DeviceInfo{PrimaryHardwareType: "MobilePhone", Model: "iPhone17,3", Manufacturer: "Apple", Vendor: "Apple",
			OSName: "iOS", OSVersion: "18.1", ConnectionType: "WiFi", ApplicationID: appID, DisplayWidth: 1179, DisplayHeight: 2556}},
	{Name: "android", Title: "Pixel 9", Role: RolePrimary,
		UserAgent: "StreamApp/4.2 (Linux; Android 15; Pixel 9)",
		Info: DeviceInfo{PrimaryHardwareType: "MobilePhone", Model: "Pixel 9", Manufacturer: "Google", Vendor: "Google",
			OSName: "Android", OSVersion: "15", ConnectionType: "WiFi", ApplicationID: appID, DisplayWidth: 1080, DisplayHeight: 2424}},
	{Name: "ipad", Title: "iPad Air", Role: RolePrimary,
		UserAgent: "StreamApp/4.2 (iPad14,8; iPadOS 18.1; Scale/2.00)",
		Info: DeviceInfo{PrimaryHardwareType: "Tablet", Model: "iPad14,8", Manufacturer: "Apple", Vendor: "Apple",
			OSName: "iPadOS", OSVersion: "18.1", ConnectionType: "WiFi", ApplicationID: appID, DisplayWidth: 1640, DisplayHeight: 2360}},
	{Name: "tizen", Title: "Samsung Tizen TV", Role: RoleSecondary,
		UserAgent: "Mozilla/5.0 (SMART-TV; LINUX; Tizen 8.0) AppleWebKit/537.36 (KHTML, like Gecko) 120.0.6099.5/8.0 TV Safari/537.36",
		Info: DeviceInfo{PrimaryHardwareType: "TV", Model: "QN65S95D", Manufacturer: "Samsung", Vendor: "Samsung",
			OSName: "Tizen", OSVersion: "8.0", ConnectionType: "Ethernet", ApplicationID: appID, DisplayWidth: 3840, DisplayHeight: 2160}},
	{Name: "webos", Title: "LG webOS TV", Role: RoleSecondary,
		UserAgent: "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.5359.211 Safari/537.36 WebAppManager",
		Info: DeviceInfo{PrimaryHardwareType: "TV", Model: "OLED65C4", Manufacturer: "LG", Vendor: "LG",
			OSName: "webOS", OSVersion: "24", ConnectionType: "WiFi", ApplicationID: appID, DisplayWidth: 3840, DisplayHeight: 2160}},
	{Name: "roku", Title: "Roku Ultra", Role: RoleSecondary, PlatformSSO: true,
		UserAgent: "Roku/DVP-14.0 (14.0.4.00000-44)",
		Info: DeviceInfo{PrimaryHardwareType: "MediaPlayer", Model: "4850X", Manufacturer: "Roku", Vendor: "Roku",
			OSName: "Roku OS", OSVersion: "14.0", ConnectionType: "WiFi", ApplicationID: appID, DisplayWidth: 3840, DisplayHeight: 2160}},
	{Name: "appletv", Title: "Apple TV 4K", Role: RoleSecondary,
		UserAgent: "StreamApp/4.2 (AppleTV14,1; tvOS 18.1)",
		Info: DeviceInfo{PrimaryHardwareType: "MediaPlayer", Model: "AppleTV14,1", Manufacturer: "Apple", Vendor: "Apple",
			OSName: "tvOS", OSVersion: "18.1", ConnectionType: "Ethernet", ApplicationID: appID, DisplayWidth: 3840, DisplayHeight: 2160}},
	{Name: "firetv", Title: "Fire TV Stick 4K", Role: RoleSecondary,
		UserAgent: "Mozilla/5.0 (Linux; Android 11; AFTKRT Build/RS8101.1849N; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.102 Mobile Safari/537.36",
		Info: DeviceInfo{PrimaryHardwareType: "MediaPlayer", Model: "AFTKRT", Manufacturer: "Amazon", Vendor: "Amazon",
			OSName: "Fire OS", OSVersion: "8", ConnectionType: "WiFi", ApplicationID: appID, DisplayWidth: 3840, DisplayHeight: 2160}},
}

// Presets returns every device preset, phones first.
func Presets() []Preset {
	out := make([]Preset, len(presets))
	copy(out, presets)
	return out
}

// PresetNames returns the presets' short names in alphabetical order, for help text
// and shell completion.
func PresetNames() []string {
	names := make([]string, len(presets))
	for i, p := range presets {
		names[i] = p.Name
	}
	sort.Strings(names)
	return names
}

// LookupPreset finds a preset by its short name, ignoring case.
func LookupPreset(name string) (Preset, bool) {
	for _, p := range presets {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Preset{}, false
}

// DefaultPreset is the preset a device gets when none is named: a phone for the
// primary role, a Samsung TV for the secondary one.
func DefaultPreset(role Role) Preset {
	name := "iphone"
	if role == RoleSecondary {
		name = "tizen"
	}
	p, _ := LookupPreset(name)
	return p
}
