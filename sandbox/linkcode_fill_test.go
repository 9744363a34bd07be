package sandbox

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestIssuanceAtHighFill: with nine in ten of the million codes live, issuing still
// gives codes that are unique (no live code, no other new code) and single use.
func TestIssuanceAtHighFill(t *testing.T) {
	if testing.Short() {
		t.Skip("fills 900,000 codes")
	}
	key := []byte("0123456789abcdef0123456789abcdef")
	now := time.Unix(1_800_000_000, 0)
	st := NewMemoryStore()
	rnd := rand.New(rand.NewChaCha8([32]byte{7}))
	live := map[string]bool{}
	perm := rnd.Perm(1_000_000)[:900_000]
	must(t, st.Update(func(tx Tx) error {
		for i, n := range perm {
			code := fmt.Sprintf("%06d", n)
			live[code] = true
			must(t, tx.PutLinkCode(LinkCode{Hash: hashLinkCode(key, "demo", code), ProfileID: fmt.Sprint("fill", i%50_000),
				DeviceKey: "dk", NotBefore: now, NotAfter: now.Add(time.Hour)}))
		}
		return nil
	}))
	draws := rand.NewChaCha8([32]byte{8})
	issued := map[string]string{} // code → profile
	for i := range 2_000 {
		profile := fmt.Sprint("new", i)
		var code string
		must(t, st.Update(func(tx Tx) error {
			var err error
			code, _, err = createLinkCode(tx, draws, key, "demo", profile, "dk", now, time.Hour)
			return err
		}))
		if live[code] {
			t.Fatalf("issued %s, a code already live", code)
		}
		if other, dup := issued[code]; dup {
			t.Fatalf("issued %s twice (to %s and %s)", code, other, profile)
		}
		issued[code] = profile
	}
	for code, profile := range issued {
		for try := range 2 {
			var rec LinkCode
			var ok bool
			must(t, st.Update(func(tx Tx) error {
				var err error
				rec, ok, err = redeemLinkCode(tx, key, "demo", code, now)
				return err
			}))
			switch {
			case try == 0 && (!ok || rec.ProfileID != profile):
				t.Fatalf("code %s: redeemed %v for %q, want %q", code, ok, rec.ProfileID, profile)
			case try == 1 && ok:
				t.Fatalf("code %s redeemed twice", code)
			}
		}
	}
	must(t, st.View(func(tx Tx) error {
		for _, i := range []int{0, 49_999} {
			if codes, err := tx.LinkCodes(fmt.Sprint("fill", i)); err != nil || len(codes) != 18 {
				t.Errorf("profile fill%d holds %d codes (%v), want 18", i, len(codes), err)
			}
		}
		return nil
	}))
}
