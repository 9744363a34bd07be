package tui

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/keystore"
	"github.com/handoff-sso/handoff/sandboxtest"
)

// TestRevealSecretsReachesTheCurlCommand: against a real sandbox, a device opened
// with RevealSecrets (what --reveal-secrets does) lets E's HAR file carry the service
// token the sandbox issued; without --reveal-secrets the same exchange's HAR file and
// curl command have it redacted.
func TestRevealSecretsReachesTheCurlCommand(t *testing.T) {
	sb := sandboxtest.New(t)
	var mu sync.Mutex
	var sent client.Exchange
	trace := func(x client.Exchange) {
		mu.Lock()
		defer mu.Unlock()
		if x.Method == "POST" && strings.Contains(x.URL, "/serviceToken") {
			sent = x
		}
	}
	phone, err := client.OpenDevice(client.DeviceConfig{Name: "phone", Server: sb.URL, Store: keystore.NewMemory(), Trace: trace, RevealSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	st, err := phone.SignIn(t.Context(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	// The sign-in's answer carries the service token: the HAR holds answers.
	revealed := buildHAR(sb.URL, []record{{ex: sent}}, scrub{reveal: true})
	hidden := buildHAR(sb.URL, []record{{ex: sent}}, scrub{})
	if !strings.Contains(harText(t, revealed), st.Token) {
		t.Errorf("--reveal-secrets: the HAR lacks the service token")
	}
	if strings.Contains(harText(t, hidden), st.Token) || strings.Contains(curlCommand(sb.URL, sent, scrub{}), st.Token) {
		t.Errorf("without --reveal-secrets a secret left the screen")
	}
}

func harText(t *testing.T, h harFile) string {
	t.Helper()
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
