package present

import (
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/client"
)

func TestDeviceNameIsOneNameEverywhere(t *testing.T) {
	for _, tc := range []struct {
		e    client.DeviceEntry
		want string
	}{
		{client.DeviceEntry{Manufacturer: "Apple", Model: "iPhone17,3", DeviceType: "MobilePhone"}, "iPhone 16"},
		{client.DeviceEntry{Manufacturer: "Samsung", Model: "QN65S95D"}, "Samsung Tizen TV"},
		{client.DeviceEntry{Manufacturer: "Sony", Model: "Bravia"}, "Sony Bravia"},
		{client.DeviceEntry{DeviceType: "TV"}, "TV"},
		{client.DeviceEntry{}, "a device"},
	} {
		if got := DeviceName(tc.e); got != tc.want {
			t.Errorf("DeviceName(%+v) = %q, want %q", tc.e, got, tc.want)
		}
	}
}

func TestSortDevicesPutsThisDeviceFirstThenTheLatest(t *testing.T) {
	list := map[string]client.DeviceEntry{"a": {LastSeen: 1}, "b": {LastSeen: 3}, "c": {LastSeen: 2}, "self": {LastSeen: 0}}
	if got := strings.Join(SortDevices(list, "self"), " "); got != "self b c a" {
		t.Fatalf("order %q", got)
	}
}

// TestAgoSaysOneUnit is the CLI's old table of "ago" cases, kept when the CLI moved
// to present's times.
func TestAgoSaysOneUnit(t *testing.T) {
	now := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, "never"},
		{now.Add(-2 * time.Second), "just now"},
		{now.Add(-45 * time.Second), "45 s ago"},
		{now.Add(-2*time.Minute - 10*time.Second), "2 min ago"},
		{now.Add(-3 * time.Hour), "3 h ago"},
		{now.Add(-72 * time.Hour), "3 days ago"},
		{now.Add(-30*24*time.Hour + time.Minute), "30 days ago"},
	} {
		if got := Ago(now, tc.t); got != tc.want {
			t.Errorf("Ago(%v) = %q, want %q", now.Sub(tc.t), got, tc.want)
		}
	}
	if got := Until(now, now.Add(-3*time.Minute)); !strings.HasSuffix(got, "(expired 3 min ago)") {
		t.Errorf("Until past = %q", got)
	}
	if Until(now, time.Time{}) != "unknown" {
		t.Error("Until of no time is not \"unknown\"")
	}
}

func TestTimesReadTheSameEverywhere(t *testing.T) {
	now := time.Date(2026, 12, 1, 14, 0, 0, 0, time.Local)
	for _, tc := range []struct{ got, want string }{
		{Until(now, now.Add(10*time.Minute)), "14:10:00 (in 10 min)"},
		{Until(now, now.Add(30*24*time.Hour)), "31 Dec 14:00 (in 30 days)"},
		{Until(now, now.Add(-90*time.Second)), "13:58:30 (expired 2 min ago)"},
		{Ago(now, now.Add(-2*time.Second)), "just now"},
		{Ago(now, time.Time{}), "never"},
		{Date(now), "1 Dec 2026"},
		{Countdown(61 * time.Minute), "1:01:00"},
		{Countdown(0), "expired"},
		{JoinedBy("platformSSO"), "Roku identity"},
		{JoinedBy("sso"), "link code"},
		{GroupCode("482913"), "482 913"},
		{GroupCode("AB3K9Z"), "AB3 K9Z"},
		{GroupCode("12345"), "12345"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
