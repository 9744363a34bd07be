package sandbox

import (
	"bytes"
	"time"

	bolt "go.etcd.io/bbolt"
)

func (s *boltStore) Counts(now time.Time) (StoreCounts, error) {
	var c StoreCounts
	err := s.db.View(func(btx *bolt.Tx) error {
		tx := newBoltTx(btx)
		c.Profiles = btx.Bucket(bucketProfiles).Stats().KeyN
		c.Devices = btx.Bucket(bucketDevices).Stats().KeyN
		c.Clients = btx.Bucket(bucketClients).Stats().KeyN
		c.MVPDAuthentications = btx.Bucket(bucketMVPDAuths).Stats().KeyN
		c.PlatformSubscribers = btx.Bucket(bucketSubscribers).Stats().KeyN
		var err error
		if c.LinkCodes, err = countLive(tx, bucketLinkCodes, func(v LinkCode) time.Time { return v.NotAfter }, now); err != nil {
			return err
		}
		if c.AccessTokens, err = countLive(tx, bucketAccessTokens, func(v AccessToken) time.Time { return v.ExpiresAt }, now); err != nil {
			return err
		}
		c.MVPDLogins, err = countLive(tx, bucketMVPDLogins, func(v MVPDLogin) time.Time { return v.NotAfter }, now)
		return err
	})
	return c, err
}

// countLive counts the records of bucket whose end is after now.
func countLive[T any](tx boltTx, bucket []byte, end func(T) time.Time, now time.Time) (int, error) {
	all, err := boltScan[T](tx, bucket, nil)
	n := 0
	for _, v := range all {
		if now.Before(end(v)) {
			n++
		}
	}
	return n, err
}

func (s *boltStore) Reset() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if bytes.Equal(b, bucketKeys) {
				continue
			}
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		return nil
	})
}
