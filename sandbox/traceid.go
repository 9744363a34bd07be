package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	mrand "math/rand/v2"
	"sync"
)

// traceSources hand out random UUIDs (version 4) for trace ids without a system call
// per request: each source is a ChaCha8 stream (a CSPRNG) seeded from crypto/rand, so
// that the ids stay unique and unguessable; a pool keeps one per busy goroutine.
var traceSources = sync.Pool{New: func() any {
	var seed [32]byte
	_, _ = rand.Read(seed[:]) // crypto/rand.Read never fails
	return mrand.NewChaCha8(seed)
}}

// newTraceID is a random UUID in its canonical form, as uuid.NewString gives.
func newTraceID() string {
	src := traceSources.Get().(*mrand.ChaCha8)
	var u [16]byte
	_, _ = src.Read(u[:]) // ChaCha8.Read never fails
	traceSources.Put(src)
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	var s [36]byte
	hex.Encode(s[0:8], u[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], u[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], u[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], u[8:10])
	s[23] = '-'
	hex.Encode(s[24:], u[10:])
	return string(s[:])
}
