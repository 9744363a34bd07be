package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// TestMACPoolKeepsKeysApart: a pooled HMAC is only reused for its own key, so that
// alternating keys (a rotation, or two stores in one process) never signs or hashes
// under the other one.
func TestMACPoolKeepsKeysApart(t *testing.T) {
	want := func(key []byte, msg string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(msg))
		return hex.EncodeToString(m.Sum(nil))
	}
	var p macPool
	keys := []struct {
		kid    string
		secret []byte
	}{{"a", []byte("first secret")}, {"a", []byte("second secret")}, {"b", []byte("first secret")}}
	for round := range 3 {
		for _, k := range keys {
			m := p.get(k.secret)
			m.mac.Write([]byte("message"))
			got := hex.EncodeToString(m.mac.Sum(m.sum[:0]))
			p.put(m)
			if w := want(k.secret, "message"); got != w {
				t.Fatalf("round %d, key %s/%q: MAC %s, want %s", round, k.kid, k.secret, got, w)
			}
		}
	}
	if got, w := hashLinkCode([]byte("k1"), "demo", "123456"), want([]byte("k1"), "demo\x00123456"); got != w {
		t.Errorf("hashLinkCode = %s, want %s", got, w)
	}
	if hashLinkCode([]byte("k2"), "demo", "123456") == hashLinkCode([]byte("k1"), "demo", "123456") {
		t.Error("two keys hash a code the same")
	}
}
