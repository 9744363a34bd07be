package sandbox

import "time"

func (tx *memoryTx) ActivationCode(hash string) (ActivationCode, error) {
	return get(tx.m.activations.of(hash), hash)
}

func (tx *memoryTx) PutActivationCode(c ActivationCode) error {
	return setUndoable(tx, tx.m.activations.of(c.Hash), c.Hash, c, false)
}

func (tx *memoryTx) DeleteActivationCode(hash string) error {
	return setUndoable(tx, tx.m.activations.of(hash), hash, ActivationCode{}, true)
}

// deleteExpiredActivations drops the codes that ended before now; DeleteExpired
// calls it.
func (tx *memoryTx) deleteExpiredActivations(now time.Time) int {
	n := 0
	for h, c := range tx.m.activations.all() {
		if !now.Before(c.NotAfter) {
			_ = setUndoable(tx, tx.m.activations.of(h), h, ActivationCode{}, true)
			n++
		}
	}
	return n
}
