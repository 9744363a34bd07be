package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// startReal serves cfg with Start on a loopback port, as `handoff serve` does.
func startReal(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	cfg.Memory = true
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
	})
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return s, base
}

func getInfo(t *testing.T, base string) info {
	t.Helper()
	res, err := http.Get(base + "/sandbox/info")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var in info
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /sandbox/info: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if err := json.NewDecoder(res.Body).Decode(&in); err != nil {
		t.Fatal(err)
	}
	return in
}

func TestInfoOnLoopback(t *testing.T) {
	s, base := startReal(t, Config{})
	in := getInfo(t, base)
	want := info{PublicURL: base, Loopback: true, LinkPage: base + "/sandbox/link", PhonePage: base + "/sandbox/phone", Version: version()}
	if in != want {
		t.Fatalf("info = %+v, want %+v", in, want)
	}
	if lines := s.Exposure().Lines(); len(lines) != 0 {
		t.Errorf("a loopback-only sandbox says %q on start; want nothing", lines)
	}
}

func TestInfoAdvertised(t *testing.T) {
	s, base := startReal(t, Config{Advertise: "https://handoff.example.net/"})
	in := getInfo(t, base)
	if in.PublicURL != "https://handoff.example.net" || in.Loopback || !in.Advertise || in.PhonePage != "https://handoff.example.net/sandbox/phone" {
		t.Fatalf("info = %+v", in)
	}
	lines := strings.Join(s.Exposure().Lines(), "\n")
	if !strings.Contains(lines, "devices are sent to https://handoff.example.net (--advertise)") ||
		!strings.Contains(lines, "open https://handoff.example.net/sandbox/phone") {
		t.Errorf("start lines %q do not say where devices are sent", lines)
	}
}

// TestStartLAN listens on this machine's own LAN address when it has one; without one,
// Start says why, in the words ChooseLANAddress gives.
func TestStartLAN(t *testing.T) {
	ifaces, err := SystemInterfaces()
	if err != nil {
		t.Fatal(err)
	}
	lan, chooseErr := ChooseLANAddress(ifaces, "")
	s, err := New(Config{Memory: true, LAN: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Shutdown(context.Background()) }()
	base, err := s.Start("127.0.0.1:0")
	if chooseErr != nil {
		if err == nil || !strings.Contains(err.Error(), chooseErr.Error()) {
			t.Fatalf("Start = %q, %v; want the error %q", base, err, chooseErr)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	e := s.Exposure()
	if e.Interface != lan.Interface || !strings.Contains(e.LAN, lan.IP.String()) || e.Public != e.LAN || e.Base != base {
		t.Fatalf("exposure %+v; want %s on %s", e, lan.IP, lan.Interface)
	}
	if in := getInfo(t, e.LAN); in.PublicURL != e.LAN || in.Loopback || in.Interface != lan.Interface {
		t.Fatalf("info over the LAN = %+v", in)
	}
	if lines := strings.Join(e.Lines(), "\n"); !strings.Contains(lines, "any device on this network can reach") {
		t.Errorf("start lines %q do not say the sandbox is exposed", lines)
	}
}

// TestPagesServedToLoopbackOnly: a sandbox not started with --lan or --advertise keeps
// its browser pages (which hold a device's secrets) to this machine.
func TestPagesServedToLoopbackOnly(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cfg    Config
		remote string
		want   int
	}{
		{"loopback", Config{}, "127.0.0.1:40000", http.StatusOK},
		{"loopback IPv6", Config{}, "[::1]:40000", http.StatusOK},
		{"another device", Config{}, "192.0.2.7:40000", http.StatusForbidden},
		{"another device, --lan", Config{LAN: true}, "192.0.2.7:40000", http.StatusOK},
		{"another device, --advertise", Config{Advertise: "http://tv.example:8765"}, "192.0.2.7:40000", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Memory = true
			s, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = s.Shutdown(context.Background()) }()
			for _, path := range []string{"/sandbox/phone", "/sandbox/link?code=123456"} {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.RemoteAddr = tc.remote
				req.Header.Set("Accept", "text/html")
				rec := httptest.NewRecorder()
				s.Handler().ServeHTTP(rec, req)
				if rec.Code != tc.want {
					t.Fatalf("GET %s from %s: %d, want %d: %s", path, tc.remote, rec.Code, tc.want, rec.Body)
				}
				if tc.want == http.StatusForbidden && !strings.Contains(rec.Body.String(), "start it with --lan") {
					t.Errorf("the refusal does not say what to do: %q", rec.Body)
				}
			}
		})
	}
}

func TestExposureConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{LANInterface: "wlan0"}, "give --lan too"},
		{Config{Advertise: "192.168.1.20:8765"}, "give the base URL"},
		{Config{Advertise: "http://h.example/?x=1"}, "give the base URL"},
		{Config{Advertise: "ftp://h.example"}, "give the base URL"},
	} {
		if err := tc.cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v; want %q", tc.cfg, err, tc.want)
		}
	}
}
