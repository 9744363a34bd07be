package sandbox

import (
	"encoding/json"
	"net/url"
	"slices"
	"testing"
)

// seededRun plays the same calls on a fresh sandbox and returns what it handed out.
func seededRun(t *testing.T, driver string, seed *uint64) []string {
	ts := startServer(t, driver, "", Config{Seed: seed})
	st := ts.do(t, "GET", "/sandbox/software-statement", nil, "")
	body, _ := json.Marshal(map[string]string{"software_statement": st.str("software_statement")})
	reg := ts.do(t, "POST", "/o/client/register", map[string]string{"Content-Type": "application/json"}, string(body))
	access := ts.accessToken(t)
	phone := device{key: deviceKey("phone"), access: access}
	tok := ts.serviceToken(t, phone, "alice")
	out := []string{reg.str("client_id")}
	for range 3 {
		out = append(out, ts.linkCode(t, phone, tok))
	}
	s := ts.do(t, "POST", "/api/v2/demo/sessions", phone.headers("AD-Service-Token", tok, "Content-Type", "application/x-www-form-urlencoded"), url.Values{"mvpd": {"cox"}}.Encode())
	return append(out, s.str("code"), s.str("sessionId"))
}

func TestSeedGivesTheSameCodesTwice(t *testing.T) {
	seed, other := uint64(42), uint64(43)
	a := seededRun(t, "memory", &seed)
	b := seededRun(t, "bbolt", &seed)
	if !slices.Equal(a, b) {
		t.Fatalf("seed 42 twice:\n%v\n%v", a, b)
	}
	for _, v := range a {
		if v == "" {
			t.Fatalf("a run handed out nothing: %v", a)
		}
	}
	if c := seededRun(t, "memory", &other); slices.Equal(a, c) {
		t.Fatalf("seeds 42 and 43 gave the same run: %v", c)
	}
	// Without a seed, codes come from crypto/rand: three six-digit codes and a client
	// id agree by chance less than once in 10^18 runs.
	if x, y := seededRun(t, "memory", nil), seededRun(t, "memory", nil); slices.Equal(x[:4], y[:4]) {
		t.Fatalf("two unseeded runs agree: %v", x)
	}
}
