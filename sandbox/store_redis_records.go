package sandbox

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// The Redis keys of the records (each under redisStore.key's prefix+"d:"):
//
//	client:ID  token:HASH  profile:ID  code:HASH  mvpdlogin:HASH  act:HASH   JSON strings
//	dev:PROFILE\0KEY                   a device, JSON
//	devs:PROFILE  bykey:KEY            sets: a profile's device keys, a key's profiles
//	devver:PROFILE                     the profile's DevicesVersion, 8 bytes big-endian
//	codes:PROFILE  subs:PROFILE        sets: a profile's link codes, its subscribers
//	mvpdauth:PROFILE                   hash: MVPD → authentication, JSON
//	sub:PLATFORM\0SP\0SUBSCRIBER       a platform subscriber, JSON
//	maybe-empty                        set: profiles that may have no device left
//	exp:KIND                           sorted sets: ids by end, for DeleteExpired
//
// Records that end carry a TTL (redisStore.expireAt); a profile's code index lives
// as long as its longest-lived code.

func (tx *redisTx) Client(id string) (Client, error) {
	return getJSON[Client](tx, tx.s.key("client", id))
}

func (tx *redisTx) PutClient(c Client) error {
	if c.ExpiresAt.IsZero() {
		if err := putJSON(tx, tx.s.key("client", c.ID), c, c.ExpiresAt); err != nil {
			return err
		}
		return tx.unindexExpiry("client", c.ID)
	}
	if err := putJSON(tx, tx.s.key("client", c.ID), c, tx.s.expireAt(c.ExpiresAt)); err != nil {
		return err
	}
	return tx.indexExpiry("client", c.ID, c.ExpiresAt)
}

func (tx *redisTx) AccessToken(hash string) (AccessToken, error) {
	return getJSON[AccessToken](tx, tx.s.key("token", hash))
}

func (tx *redisTx) PutAccessToken(t AccessToken) error {
	if err := putJSON(tx, tx.s.key("token", t.Hash), t, tx.s.expireAt(t.ExpiresAt)); err != nil {
		return err
	}
	return tx.indexExpiry("token", t.Hash, t.ExpiresAt)
}

func (tx *redisTx) DeleteAccessToken(hash string) error {
	return errors.Join(tx.delRaw(tx.s.key("token", hash)), tx.unindexExpiry("token", hash))
}

func (tx *redisTx) Profile(id string) (Profile, error) {
	return getJSON[Profile](tx, tx.s.key("profile", id))
}

func (tx *redisTx) PutProfile(p Profile) error {
	if err := putJSON(tx, tx.s.key("profile", p.ID), p, time.Time{}); err != nil {
		return err
	}
	// DeleteExpired drops a profile left without a device; a new one may be such.
	return tx.setMember(tx.s.key("maybe-empty"), p.ID, true)
}

func (tx *redisTx) deviceKey(profileID, key string) string { return tx.s.key("dev", profileID, key) }

func (tx *redisTx) Device(profileID, key string) (Device, error) {
	return getJSON[Device](tx, tx.deviceKey(profileID, key))
}

func (tx *redisTx) Devices(profileID string) ([]Device, error) {
	keys, err := tx.members(tx.s.key("devs", profileID))
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		keys[i] = tx.deviceKey(profileID, k)
	}
	return getJSONs[Device](tx, keys)
}

func (tx *redisTx) DevicesByKey(key string) ([]Device, error) {
	profiles, err := tx.members(tx.s.key("bykey", key))
	if err != nil {
		return nil, err
	}
	for i, p := range profiles {
		profiles[i] = tx.deviceKey(p, key)
	}
	return getJSONs[Device](tx, profiles)
}

func (tx *redisTx) PutDevice(d Device) error {
	if err := putJSON(tx, tx.deviceKey(d.ProfileID, d.Key), d, time.Time{}); err != nil {
		return err
	}
	return errors.Join(tx.setMember(tx.s.key("devs", d.ProfileID), d.Key, true),
		tx.setMember(tx.s.key("bykey", d.Key), d.ProfileID, true), tx.devicesChanged(d.ProfileID))
}

func (tx *redisTx) DevicesVersion(profileID string) (uint64, error) {
	raw, ok, err := tx.getRaw(tx.s.key("devver", profileID))
	if err != nil || !ok || len(raw) != 8 {
		return 0, err // none yet, or not one of ours: unknown
	}
	return binary.BigEndian.Uint64(raw), nil
}

// devicesChanged gives the profile's devices a new DevicesVersion.
func (tx *redisTx) devicesChanged(profileID string) error {
	return tx.putRaw(tx.s.key("devver", profileID), binary.BigEndian.AppendUint64(nil, newDevicesVersion()), time.Time{})
}

// TouchDevice reads the device first, so that its key is WATCHed: a rejoin or an
// unlink committed meanwhile makes EXEC fail and the check run again on fresh data.
func (tx *redisTx) TouchDevice(profileID, key, joinID string, seen time.Time) error {
	if !tx.writable {
		return errReadOnly
	}
	d, err := tx.Device(profileID, key)
	if errors.Is(err, ErrNotFound) || err == nil && (d.JoinID != joinID || !d.LastSeen.Before(seen)) {
		return nil
	}
	if err != nil {
		return err
	}
	d.LastSeen = seen
	if err := putJSON(tx, tx.deviceKey(profileID, key), d, time.Time{}); err != nil {
		return err
	}
	return tx.devicesChanged(profileID)
}

func (tx *redisTx) DeleteDevice(profileID, key string) error {
	if err := tx.delRaw(tx.deviceKey(profileID, key)); err != nil {
		return err
	}
	return errors.Join(tx.setMember(tx.s.key("devs", profileID), key, false),
		tx.setMember(tx.s.key("bykey", key), profileID, false),
		tx.setMember(tx.s.key("maybe-empty"), profileID, true), tx.devicesChanged(profileID))
}

func (tx *redisTx) LinkCode(hash string) (LinkCode, error) {
	return getJSON[LinkCode](tx, tx.s.key("code", hash))
}

func (tx *redisTx) LinkCodes(profileID string) ([]LinkCode, error) {
	hashes, err := tx.members(tx.s.key("codes", profileID))
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(hashes))
	for i, h := range hashes {
		keys[i] = tx.s.key("code", h)
	}
	all, err := getJSONs[LinkCode](tx, keys) // an expired code's index entry outlives it
	if err != nil {
		return nil, err
	}
	var out []LinkCode
	for _, c := range all {
		if c.ProfileID == profileID {
			out = append(out, c)
		}
	}
	return out, nil
}

func (tx *redisTx) PutLinkCode(c LinkCode) error {
	if !tx.writable {
		return errReadOnly
	}
	old, err := tx.LinkCode(c.Hash)
	if err == nil && old.ProfileID != c.ProfileID {
		if err := tx.setMember(tx.s.key("codes", old.ProfileID), c.Hash, false); err != nil {
			return err
		}
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	at := tx.s.expireAt(c.NotAfter)
	index := tx.s.key("codes", c.ProfileID)
	return errors.Join(putJSON(tx, tx.s.key("code", c.Hash), c, at),
		tx.setMember(index, c.Hash, true), tx.expireNoSooner(index, at),
		tx.indexExpiry("code", c.Hash, c.NotAfter))
}

func (tx *redisTx) DeleteLinkCode(hash string) error {
	if !tx.writable {
		return errReadOnly
	}
	old, err := tx.LinkCode(hash)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return errors.Join(tx.delRaw(tx.s.key("code", hash)),
		tx.setMember(tx.s.key("codes", old.ProfileID), hash, false), tx.unindexExpiry("code", hash))
}

func (tx *redisTx) MVPDLogin(hash string) (MVPDLogin, error) {
	return getJSON[MVPDLogin](tx, tx.s.key("mvpdlogin", hash))
}

func (tx *redisTx) PutMVPDLogin(l MVPDLogin) error {
	if err := putJSON(tx, tx.s.key("mvpdlogin", l.Hash), l, tx.s.expireAt(l.NotAfter)); err != nil {
		return err
	}
	return tx.indexExpiry("mvpdlogin", l.Hash, l.NotAfter)
}

func (tx *redisTx) DeleteMVPDLogin(hash string) error {
	return errors.Join(tx.delRaw(tx.s.key("mvpdlogin", hash)), tx.unindexExpiry("mvpdlogin", hash))
}

func (tx *redisTx) MVPDAuths(profileID string) ([]MVPDAuth, error) {
	raws, err := tx.hashAll(tx.s.key("mvpdauth", profileID))
	if err != nil {
		return nil, err
	}
	return decodeAll[MVPDAuth](raws)
}

func (tx *redisTx) PutMVPDAuth(a MVPDAuth) error {
	raw, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return tx.hashSet(tx.s.key("mvpdauth", a.ProfileID), a.MVPD, raw)
}

func (tx *redisTx) DeleteMVPDAuths(profileID string) ([]MVPDAuth, error) {
	if !tx.writable {
		return nil, errReadOnly
	}
	gone, err := tx.MVPDAuths(profileID)
	if err != nil {
		return nil, err
	}
	return gone, tx.clear(tx.s.key("mvpdauth", profileID))
}

func subscriberID(platform, sp, subscriber string) string {
	return strings.Join([]string{platform, sp, subscriber}, "\x00")
}

func (tx *redisTx) PlatformSubscriber(platform, sp, subscriber string) (PlatformSubscriber, error) {
	return getJSON[PlatformSubscriber](tx, tx.s.key("sub", subscriberID(platform, sp, subscriber)))
}

func (tx *redisTx) PutPlatformSubscriber(p PlatformSubscriber) error {
	if !tx.writable {
		return errReadOnly
	}
	id := subscriberID(p.Platform, p.ServiceProvider, p.Subscriber)
	old, err := getJSON[PlatformSubscriber](tx, tx.s.key("sub", id))
	if err == nil && old.ProfileID != p.ProfileID {
		if err := tx.setMember(tx.s.key("subs", old.ProfileID), id, false); err != nil {
			return err
		}
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return errors.Join(putJSON(tx, tx.s.key("sub", id), p, time.Time{}), tx.setMember(tx.s.key("subs", p.ProfileID), id, true))
}

func (tx *redisTx) ActivationCode(hash string) (ActivationCode, error) {
	return getJSON[ActivationCode](tx, tx.s.key("act", hash))
}

func (tx *redisTx) PutActivationCode(c ActivationCode) error {
	if err := putJSON(tx, tx.s.key("act", c.Hash), c, tx.s.expireAt(c.NotAfter)); err != nil {
		return err
	}
	return tx.indexExpiry("act", c.Hash, c.NotAfter)
}

func (tx *redisTx) DeleteActivationCode(hash string) error {
	return errors.Join(tx.delRaw(tx.s.key("act", hash)), tx.unindexExpiry("act", hash))
}
