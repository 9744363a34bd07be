package sandbox

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzDeviceHeaders(f *testing.F) {
	f.Add("fingerprint "+deviceKey("phone"), deviceInfo(map[string]string{"model": "iPhone", "osName": "iOS"}), "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)")
	f.Add("fingerprint ", "e30=", "Roku/DVP-14.0 (14.0.4.1234)")
	f.Add("FINGERPRINT  YQ==", "eyJtb2RlbCI6MX0", "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile")
	f.Add("serial abc", "WzFd", "")
	f.Fuzz(func(t *testing.T, id, info, ua string) {
		key, err := parseDeviceIdentifier(id)
		if err == nil {
			raw, derr := base64.StdEncoding.Strict().DecodeString(key)
			if derr != nil || len(raw) == 0 || len(key) > maxDeviceKey || !strings.HasSuffix(strings.TrimSpace(id), key) {
				t.Fatalf("accepted %q as key %q", id, key)
			}
		}
		explicit, err := parseDeviceInfo(info)
		fromUA := fromUserAgent(ua)
		for _, v := range []string{explicit.Model, explicit.OS, explicit.OSVersion, explicit.Manufacturer, explicit.HardwareType, explicit.UserAgent, fromUA.UserAgent, fromUA.OSVersion} {
			if len(v) > 256 {
				t.Fatalf("attribute of %d bytes kept", len(v))
			}
		}
		if err != nil {
			return
		}
		merged := explicit.merge(fromUA)
		if explicit.OS != "" && merged.OS != explicit.OS || explicit.Model != "" && merged.Model != explicit.Model {
			t.Fatalf("explicit values lost in the merge: %+v → %+v", explicit, merged)
		}
		if explicit.OS == "" && merged.OS != fromUA.OS {
			t.Fatalf("User-Agent OS not used: %+v", merged)
		}
	})
}

func FuzzLinkCodeInput(f *testing.F) {
	for _, s := range []string{"123456", "123 456", "123-456", " 1-2-3 4-5-6 ", "12345", "1234567", "12a456", "１２３４５６", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		code, ok := normalizeLinkCode(in)
		var digits strings.Builder
		clean := true
		for _, r := range in {
			switch {
			case r >= '0' && r <= '9':
				digits.WriteRune(r)
			case r == ' ' || r == '-' || r == '\t':
			default:
				clean = false
			}
		}
		want := clean && digits.Len() == linkCodeDigits && len(in) <= 64
		if ok != want {
			t.Fatalf("normalize(%q) ok=%v, want %v", in, ok, want)
		}
		if !ok {
			return
		}
		if code != digits.String() || !utf8.ValidString(code) {
			t.Fatalf("normalize(%q) = %q, want %q", in, code, digits.String())
		}
		if again, ok := normalizeLinkCode(code); !ok || again != code {
			t.Fatalf("normalising %q again gives %q", code, again)
		}
	})
}

// fuzzServer is a sandbox in memory whose clock stands still at now, for the fuzz
// targets that call its checks directly.
func fuzzServer(f *testing.F, now time.Time) *Server {
	cfg := Config{Memory: true, Now: func() time.Time { return now }}.withDefaults()
	s, err := newWithStore(cfg, NewMemoryStore(), &memoryKeys{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = s.Shutdown(context.Background()) })
	return s
}

func FuzzServiceToken(f *testing.F) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	s := fuzzServer(f, now)
	key, err := s.signingKey(now)
	if err != nil {
		f.Fatal(err)
	}
	raw, _, _, err := s.appendServiceToken(nil, key, Device{ProfileID: profileID(nsSSO, "demo", "alice"), Key: deviceKey("phone"), JoinID: "j1"}, now)
	if err != nil {
		f.Fatal(err)
	}
	genuine := string(raw)
	signed := genuine[:strings.LastIndex(genuine, ".")]
	f.Add(genuine)
	f.Add(signed + ".")
	f.Add("eyJhbGciOiJub25lIn0." + strings.Split(genuine, ".")[1] + ".")
	f.Add("a.b.c")
	f.Add("")
	f.Fuzz(func(t *testing.T, raw string) {
		c, e := s.verifyServiceToken(raw, "demo", s.cfg.RefreshGrace, s.now())
		if e != nil {
			if e.status != 400 && e.status != 401 {
				t.Fatalf("refusal with status %d", e.status)
			}
			return
		}
		if !strings.HasPrefix(raw, signed+".") {
			t.Fatalf("accepted a token the server did not sign: %q", raw)
		}
		if c.Subject != "alice" || c.Issuer != serviceTokenIssuer || c.DeviceKey == "" {
			t.Fatalf("accepted claims %+v", c)
		}
	})
}
