package sandbox

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// TestRandomLinkCodeRejectsThePartialMillion: a 32-bit draw past the last whole million
// would make the low codes likelier, so it is drawn again; codes keep their zeros.
func TestRandomLinkCodeRejectsThePartialMillion(t *testing.T) {
	var src bytes.Buffer
	for _, v := range []uint32{4_294_000_000, 1<<32 - 1, 4_293_999_999, 42} {
		_ = binary.Write(&src, binary.LittleEndian, v)
	}
	for _, want := range []string{"999999", "000042"} {
		if got := randomLinkCode(&src); got != want {
			t.Fatalf("randomLinkCode = %q, want %q", got, want)
		}
	}
	if src.Len() != 0 {
		t.Errorf("%d bytes left unread", src.Len())
	}
}

// TestRandomLinkCodeSpreadsEvenly: over 2,000,000 draws, each leading digit comes up
// a tenth of the time and every code is six digits.
func TestRandomLinkCodeSpreadsEvenly(t *testing.T) {
	rnd := rand.NewChaCha8([32]byte{3})
	var lead [10]int
	const n = 2_000_000
	for range n {
		c := randomLinkCode(rnd)
		if len(c) != linkCodeDigits || c[0] < '0' || c[0] > '9' {
			t.Fatalf("code %q", c)
		}
		lead[c[0]-'0']++
	}
	for d, k := range lead {
		// The count is binomial(n, 1/10): sd 424, so 6 sd is 2,545.
		if k < n/10-2545 || k > n/10+2545 {
			t.Errorf("leading %d in %d of %d draws, want %d ± 2,545", d, k, n, n/10)
		}
	}
}
