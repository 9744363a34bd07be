package sandbox

import (
	"testing"
	"time"

	"github.com/handoff-sso/handoff/sandbox/roku"
)

// FuzzRokuHeader feeds X-Roku-Reserved-Roku-Connect-Token values to the check that
// POST serviceToken and v2 profiles share: every refusal is 401 header_invalid with a
// message, and whatever passes names the one subscriber the seeds were issued for.
func FuzzRokuHeader(f *testing.F) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	s := fuzzServer(f, now)
	svc, err := s.rokuService()
	if err != nil {
		f.Fatal(err)
	}
	for _, format := range []roku.Format{roku.JWS, roku.JWE} {
		tok, _, err := svc.Issue("fuzz-sub", "fuzz-dev", format)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok)
	}
	f.Add("a.b.c")
	f.Add("a.b.c.d.e")
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Fuzz(func(t *testing.T, raw string) {
		if raw == "" {
			return // an absent header is no platform identity: rokuSubscriber's "" case
		}
		sub, e := s.rokuSubscriber(raw)
		if e != nil {
			if e.status != 401 || e.code != "header_invalid" || e.message == "" || e.action != actionGetNewToken {
				t.Fatalf("refusal %+v", e)
			}
			return
		}
		if sub != "fuzz-sub" {
			t.Fatalf("accepted a token nobody issued: subscriber %q", sub)
		}
	})
}
