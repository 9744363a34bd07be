package client

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
)

// DeviceEntry is one device of a profile as the list shows it. The seed says an
// attribute's value "may be simple (string, integer, boolean, …)" and names no closed
// set, so every attribute is kept as received in Attributes; the known ones are also
// read into the fields below as text (18.1 → "18.1", true → "true").
//
// The tags name the attributes; the methods below do the reading and writing.
type DeviceEntry struct {
	DeviceType   string `json:"deviceType"`
	Model        string `json:"model"`
	OS           string `json:"os"`
	OSVersion    string `json:"osVersion"`
	Manufacturer string `json:"manufacturer"`
	UserAgent    string `json:"userAgent"`
	LastSeen     Millis `json:"lastSeen"`
	// Type is how the device joined: "regular", "sso" or "platformSSO".
	Type string `json:"type"`
	// Attributes are all the attributes as received, known or not. A device whose
	// value was not a JSON object has none.
	Attributes map[string]json.RawMessage `json:"-"`
}

// knownAttributes are the attributes the fields of DeviceEntry read.
var knownAttributes = []string{"deviceType", "model", "os", "osVersion", "manufacturer", "userAgent", "lastSeen", "type"}

// UnmarshalJSON accepts any JSON value for any attribute, and any JSON value for the
// entry itself: a server that writes something odd for one device must not hide the
// others from the list (nor from unlink --all-others).
func (e *DeviceEntry) UnmarshalJSON(data []byte) error {
	*e = DeviceEntry{}
	var attrs map[string]json.RawMessage
	if json.Unmarshal(data, &attrs) != nil {
		return nil
	}
	e.Attributes = attrs
	e.DeviceType = e.Text("deviceType")
	e.Model = e.Text("model")
	e.OS = e.Text("os")
	e.OSVersion = e.Text("osVersion")
	e.Manufacturer = e.Text("manufacturer")
	e.UserAgent = e.Text("userAgent")
	e.Type = e.Text("type")
	e.LastSeen = e.millis("lastSeen")
	return nil
}

// MarshalJSON writes the attributes as received, so that a device printed as JSON
// keeps its unknown attributes and its number forms.
func (e DeviceEntry) MarshalJSON() ([]byte, error) {
	if e.Attributes != nil {
		return json.Marshal(e.Attributes)
	}
	m := map[string]any{}
	for k, v := range map[string]string{"deviceType": e.DeviceType, "model": e.Model, "os": e.OS, "osVersion": e.OSVersion,
		"manufacturer": e.Manufacturer, "userAgent": e.UserAgent, "type": e.Type} {
		if v != "" {
			m[k] = v
		}
	}
	if e.LastSeen != 0 {
		m["lastSeen"] = e.LastSeen
	}
	return json.Marshal(m)
}

// Text is an attribute as one line of text: a string as it is, any other value as
// its JSON ("18.1", "true", `{"w":1920}`), "" when absent or null. It is not
// terminal-safe: present.Safe it before drawing it.
func (e DeviceEntry) Text(name string) string {
	return attributeText(e.Attributes[name])
}

// attributeText is a JSON value as one line of text: a string as it is, anything
// else compacted, null or nothing as "".
func attributeText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	// Most values are plain strings: without a backslash a JSON string's bytes are
	// its text (the list was validated as a whole before it got here).
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : n-1])
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if string(raw) == "null" {
		return ""
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		return buf.String()
	}
	return string(raw)
}

// millis reads a timestamp as Millis does; anything else is zero.
func (e DeviceEntry) millis(name string) Millis {
	var m Millis
	if raw, ok := e.Attributes[name]; ok && m.UnmarshalJSON(raw) != nil {
		return 0
	}
	return m
}

// Names are the entry's attribute names, the known ones first in their usual order,
// then the others sorted: the order a device's details are shown in.
func (e DeviceEntry) Names() []string {
	var out []string
	for _, k := range knownAttributes {
		if _, ok := e.Attributes[k]; ok {
			out = append(out, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(e.Attributes)) {
		if !slices.Contains(knownAttributes, k) {
			out = append(out, k)
		}
	}
	return out
}
