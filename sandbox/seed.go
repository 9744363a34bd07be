package sandbox

import (
	"crypto/rand"
	"encoding/binary"
	"io"
	mathrand "math/rand/v2"
	"sync"

	"github.com/google/uuid"
)

// Deterministic runs (`handoff serve --seed N`): link codes, MVPD sign-in codes and the
// identifiers the sandbox hands out (client and software ids, sign-in session ids,
// platform profiles) are drawn from a ChaCha8 stream keyed by N, so that the same calls
// in the same order get the same answers. Secrets (keys, client secrets, access
// tokens) never come from the seed: they stay crypto/rand.

// newIDSource is crypto/rand without a seed, the seeded stream with one.
func newIDSource(seed *uint64) io.Reader {
	if seed == nil {
		return rand.Reader
	}
	return &seededReader{r: mathrand.NewChaCha8(seedKey(*seed, 0))}
}

// seedKey spreads a seed over a ChaCha8 key; stream tells apart the uses of one seed
// (identifiers, fault draws) so that adding a fault does not shift the codes.
func seedKey(seed uint64, stream byte) [32]byte {
	var k [32]byte
	binary.LittleEndian.PutUint64(k[:8], seed)
	k[8] = stream
	return k
}

// seededReader serialises a ChaCha8 stream, which is not safe for concurrent use.
type seededReader struct {
	mu sync.Mutex
	r  *mathrand.ChaCha8
}

func (s *seededReader) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.r.Read(p)
}

// newID is a random (version 4) UUID from the server's source.
func (s *Server) newID() string {
	id, _ := uuid.NewRandomFromReader(s.ids) // neither source fails
	return id.String()
}

// Seeded says whether the sandbox draws its codes from a seed (to be said on start).
func (s *Server) Seeded() bool { return s.cfg.Seed != nil }
