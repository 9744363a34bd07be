package sandbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"sync"
)

// A macPool keeps HMAC-SHA256s keyed already, since keying one (hashing the two pads)
// costs as much as the MAC of a token; a pooled one is used only for the same key.
// Each use of a key has its own pool (signing tokens, hashing link codes), so that
// one does not keep throwing away the other's.
type macPool struct{ pool sync.Pool } // of *keyedMAC

type keyedMAC struct {
	secret []byte
	mac    hash.Hash
	in     []byte            // where a message is put together before it is written
	sum    [sha256.Size]byte // where Sum writes, so that it need not escape per call
}

// get is a reset HMAC under secret, from the pool when it holds one for it.
func (p *macPool) get(secret []byte) *keyedMAC {
	if m, ok := p.pool.Get().(*keyedMAC); ok && bytes.Equal(m.secret, secret) {
		return m
	}
	return &keyedMAC{secret: bytes.Clone(secret), mac: hmac.New(sha256.New, secret)}
}

// put resets m and gives it back.
func (p *macPool) put(m *keyedMAC) {
	m.mac.Reset()
	p.pool.Put(m)
}
