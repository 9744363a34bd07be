package sandbox

import (
	"bytes"
	"encoding/json"
	"time"
)

// The buckets of the TV provider sign-in and the platform identity, created with the
// others when the store opens.
var (
	bucketMVPDLogins  = []byte("mvpd_logins")
	bucketMVPDAuths   = []byte("mvpd_auths") // profile ID, NUL, MVPD
	bucketSubscribers = []byte("platform_subscribers")
)

func (t boltTx) MVPDLogin(hash string) (MVPDLogin, error) {
	return boltGet[MVPDLogin](t, bucketMVPDLogins, []byte(hash))
}

func (t boltTx) PutMVPDLogin(l MVPDLogin) error {
	return boltPut(t, bucketMVPDLogins, []byte(l.Hash), l)
}

func (t boltTx) DeleteMVPDLogin(hash string) error {
	return t.bucket(bucketMVPDLogins).Delete([]byte(hash))
}

func (t boltTx) MVPDAuths(profileID string) ([]MVPDAuth, error) {
	out, err := boltScan[MVPDAuth](t, bucketMVPDAuths, joinKey(profileID, ""))
	if out == nil && err == nil {
		out = []MVPDAuth{}
	}
	return out, err
}

func (t boltTx) PutMVPDAuth(a MVPDAuth) error {
	return boltPut(t, bucketMVPDAuths, joinKey(a.ProfileID, a.MVPD), a)
}

func (t boltTx) DeleteMVPDAuths(profileID string) ([]MVPDAuth, error) {
	if !t.tx.Writable() {
		return nil, errReadOnly
	}
	gone, err := t.MVPDAuths(profileID)
	if err != nil {
		return nil, err
	}
	for _, a := range gone {
		if err := t.bucket(bucketMVPDAuths).Delete(joinKey(profileID, a.MVPD)); err != nil {
			return nil, err
		}
	}
	return gone, nil
}

// DevicesByKey scans the bucket's keys (profile ID, NUL, device key), decoding only the
// records that match: the device key is not a prefix, and a sandbox holds few enough
// devices that a scan of keys is cheap. Profile IDs and device keys hold no NUL.
func (t boltTx) DevicesByKey(key string) ([]Device, error) {
	var out []Device
	suffix := append([]byte{0}, key...)
	err := t.bucket(bucketDevices).ForEach(func(k, _ []byte) error {
		if !bytes.HasSuffix(k, suffix) {
			return nil
		}
		d, err := boltGet[Device](t, bucketDevices, k)
		if err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

func (t boltTx) PlatformSubscriber(platform, sp, subscriber string) (PlatformSubscriber, error) {
	return boltGet[PlatformSubscriber](t, bucketSubscribers, joinKey(platform, sp, subscriber))
}

func (t boltTx) PutPlatformSubscriber(p PlatformSubscriber) error {
	return boltPut(t, bucketSubscribers, joinKey(p.Platform, p.ServiceProvider, p.Subscriber), p)
}

// deleteExpiredMVPDLogins drops the sign-ins that ended before now (and any record it
// cannot read); DeleteExpired calls it.
func (t boltTx) deleteExpiredMVPDLogins(now time.Time) (int, error) {
	var dead [][]byte
	err := t.bucket(bucketMVPDLogins).ForEach(func(k, raw []byte) error {
		var l MVPDLogin
		if err := json.Unmarshal(raw, &l); err != nil || !now.Before(l.NotAfter) {
			dead = append(dead, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range dead {
		if err := t.bucket(bucketMVPDLogins).Delete(k); err != nil {
			return 0, err
		}
	}
	return len(dead), nil
}
