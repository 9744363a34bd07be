package sandbox

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"
)

// TestStartAndShutdown serves on a real listener chosen by the kernel, answers
// healthz at once, and stops gracefully.
func TestStartAndShutdown(t *testing.T) {
	s, err := New(Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(base + "/sandbox/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != `{"status":"OK"}` || resp.Header.Get("X-Request-Id") == "" {
		t.Fatalf("healthz: %d %s", resp.StatusCode, body)
	}
	if _, err := s.Start("127.0.0.1:0"); err == nil {
		t.Error("a second Start succeeded")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(base + "/sandbox/healthz"); err == nil {
		t.Error("still serving after Shutdown")
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{
		{LinkCodeTTL: 500 * time.Millisecond},
		{LinkCodeTTL: 61 * time.Minute},
		{ServiceTokenTTL: -time.Second},
		{ServiceProviders: []string{"bad/name"}},
		{Memory: true, DataDir: "/tmp/x"},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v passed validation", c)
		}
		if _, err := New(c); err == nil {
			t.Errorf("New(%+v) succeeded", c)
		}
	}
	if err := (Config{LinkCodeTTL: time.Second, ServiceProviders: []string{"demo.tv_1-x"}}).Validate(); err != nil {
		t.Errorf("valid config refused: %v", err)
	}
}

func TestUserAgentAttributes(t *testing.T) {
	for _, c := range []struct {
		ua                  string
		os, version, hw, mk string
	}{
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15", "iOS", "17.4", "MobilePhone", "Apple"},
		{"Mozilla/5.0 (iPad; CPU OS 16_1 like Mac OS X)", "iPadOS", "16.1", "Tablet", "Apple"},
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36", "Android", "14", "MobilePhone", ""},
		{"Mozilla/5.0 (Linux; Android 9; AFTMM) AppleWebKit/537.36", "Fire OS", "9", "MediaPlayer", "Amazon"},
		{"Roku/DVP-12.5 (12.5.0.4178)", "Roku OS", "12.5", "MediaPlayer", "Roku"},
		{"Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36", "webOS", "", "TV", "LG"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Windows", "10.0", "Desktop", "Microsoft"},
		{"curl/8.5.0", "", "", "", ""},
	} {
		a := fromUserAgent(c.ua)
		if a.OS != c.os || a.OSVersion != c.version || a.HardwareType != c.hw || a.Manufacturer != c.mk || a.UserAgent != c.ua {
			t.Errorf("%q → %+v, want %s %s %s %s", c.ua, a, c.os, c.version, c.hw, c.mk)
		}
	}
	explicit := deviceAttributes{OS: "tvOS", Model: "Apple TV 4K"}
	merged := explicit.merge(fromUserAgent("Mozilla/5.0 (Windows NT 10.0)"))
	if merged.OS != "tvOS" || merged.Model != "Apple TV 4K" || merged.HardwareType != "Desktop" {
		t.Errorf("merge %+v: explicit values must win, the rest filled from the User-Agent", merged)
	}
}
