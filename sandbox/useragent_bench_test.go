package sandbox

import (
	"testing"

	"github.com/handoff-sso/handoff/assets"
)

// benchUserAgents are what fromUserAgent meets: handoff's device presets, its own
// client, Go's and curl's defaults, and a desktop browser.
func benchUserAgents() []string {
	uas := []string{
		"handoff-client",
		"Go-http-client/1.1",
		"curl/8.5.0",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	}
	for _, p := range assets.Presets() {
		uas = append(uas, p.UserAgent)
	}
	return uas
}

// BenchmarkFromUserAgent reads every User-Agent of benchUserAgents once per op;
// every POST serviceToken reads its caller's.
func BenchmarkFromUserAgent(b *testing.B) {
	uas := benchUserAgents()
	for b.Loop() {
		for _, ua := range uas {
			fromUserAgent(ua)
		}
	}
}
