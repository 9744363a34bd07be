package keystore

import (
	"bytes"
	"testing"
)

// FuzzKeyringRoundTrip: whatever the value, the keyring store gives it back whole and
// writes no entry longer than Windows takes.
func FuzzKeyringRoundTrip(f *testing.F) {
	f.Add([]byte(`{"serviceToken":"t"}`), 0)
	f.Add([]byte(partsHeader+"1"), 1)
	f.Add(bytes.Repeat([]byte{0xff}, maxPart+1), 2)
	f.Fuzz(func(t *testing.T, value []byte, repeat int) {
		if repeat < 0 || repeat > 5 {
			repeat = 5
		}
		value = bytes.Repeat(value, repeat+1)
		fake := newFakeKeyring()
		k := newKeyring(newCaller(fake), DefaultTimeout)
		if err := k.Set("tv@h:1/sp", bytes.Repeat([]byte("o"), 3*maxPart)); err != nil {
			t.Fatal(err)
		}
		if err := k.Set("tv@h:1/sp", value); err != nil {
			t.Fatalf("Set of %d bytes: %v", len(value), err)
		}
		got, err := k.Get("tv@h:1/sp")
		if err != nil || !bytes.Equal(got, value) {
			t.Fatalf("Get = %d bytes, %v; want the %d bytes set", len(got), err, len(value))
		}
		want := len(value)/maxPart + 1
		if len(value) <= maxPart && !bytes.HasPrefix(value, []byte(partsHeader)) {
			want = 0
		} else if len(value)%maxPart == 0 {
			want--
		}
		if entries := len(fake.accounts()) - 2; entries != want { // minus the head and the index
			t.Fatalf("%d parts for %d bytes, want %d (no stale part left)", entries, len(value), want)
		}
	})
}
