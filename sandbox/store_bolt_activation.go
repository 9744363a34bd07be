package sandbox

import (
	"bytes"
	"encoding/json"
	"time"
)

// bucketActivations holds the second-screen codes, created with the others when the
// store opens.
var bucketActivations = []byte("activation_codes")

func (t boltTx) ActivationCode(hash string) (ActivationCode, error) {
	return boltGet[ActivationCode](t, bucketActivations, []byte(hash))
}

func (t boltTx) PutActivationCode(c ActivationCode) error {
	return boltPut(t, bucketActivations, []byte(c.Hash), c)
}

func (t boltTx) DeleteActivationCode(hash string) error {
	return t.bucket(bucketActivations).Delete([]byte(hash))
}

// deleteExpiredActivations drops the codes that ended before now (and any record it
// cannot read); DeleteExpired calls it.
func (t boltTx) deleteExpiredActivations(now time.Time) (int, error) {
	var dead [][]byte
	err := t.bucket(bucketActivations).ForEach(func(k, raw []byte) error {
		var c ActivationCode
		if err := json.Unmarshal(raw, &c); err != nil || !now.Before(c.NotAfter) {
			dead = append(dead, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range dead {
		if err := t.bucket(bucketActivations).Delete(k); err != nil {
			return 0, err
		}
	}
	return len(dead), nil
}
