package sandbox

import (
	"encoding/json"
	"testing"
	"time"
)

var trickyStrings = []string{"", "plain", `q"uote`, `back\slash`, "<script>&", "\x00\x01\x1f\x7f", "é→漢字", "\u2028\u2029",
	"\xff", "a\xc3", "\xed\xa0\x80", "tab\tnl\n", "fingerprint abc+/=="}

// TestAppendJSONString: the hand-written bodies escape strings exactly as
// encoding/json does.
func TestAppendJSONString(t *testing.T) {
	for _, s := range trickyStrings {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

// FuzzAppendJSONString: the same, for any string.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	})
}

// TestListBodyIsWhatEncodingJSONWrites: the one-pass list body is byte for byte the
// map encoding/json would write (keys in order), with the caller's lastSeen as
// markSeen left it.
func TestListBodyIsWhatEncodingJSONWrites(t *testing.T) {
	t0 := time.UnixMilli(1_800_000_000_123)
	var devices []Device
	for i, s := range trickyStrings {
		devices = append(devices, Device{Key: string(rune('a'+i)) + s, Model: s, OS: s + "os", OSVersion: "1." + s,
			Manufacturer: s, UserAgent: s, HardwareType: []string{"TV", "MobilePhone", "", "Fridge"}[i%4],
			Type: DeviceSSO, LastSeen: t0.Add(time.Duration(i) * time.Second)})
	}
	me := devices[2]
	me.LastSeen = t0.Add(time.Hour)
	type entry struct {
		DeviceType   string `json:"deviceType"`
		Model        string `json:"model"`
		OS           string `json:"os"`
		OSVersion    string `json:"osVersion"`
		Manufacturer string `json:"manufacturer"`
		UserAgent    string `json:"userAgent"`
		LastSeen     int64  `json:"lastSeen"`
		Type         string `json:"type"`
	}
	m := map[string]entry{}
	for _, d := range devices {
		if d.Key == me.Key {
			d.LastSeen = me.LastSeen
		}
		m[d.Key] = entry{listDeviceType(d.HardwareType), d.Model, d.OS, d.OSVersion, d.Manufacturer, d.UserAgent, d.LastSeen.UnixMilli(), d.Type}
	}
	want, _ := json.Marshal(map[string]any{"devices": m})
	if got := appendListBody(nil, devices, me); string(got) != string(want) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got, want := string(appendListBody(nil, nil, Device{})), `{"devices":{}}`; got != want {
		t.Errorf("empty list: %s, want %s", got, want)
	}
}

// TestPlainWord: the word test agrees with the byte table on every byte value, at
// every position of the word.
func TestPlainWord(t *testing.T) {
	for c := range 256 {
		for pos := range 8 {
			w := []byte("abcdefgh")
			w[pos] = byte(c)
			if got := plainWord(string(w)); got != plainJSON[c] {
				t.Errorf("byte %#x at %d: plainWord %v, table %v", c, pos, got, plainJSON[c])
			}
		}
	}
}
