package sandbox

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// DeleteExpired on Redis does what the other drivers' sweep does, but cheaply: the
// records that end are found through their expiry index (exp:KIND), not by a scan,
// and the profiles that may be empty through maybe-empty, which DeleteDevice and
// PutProfile fill. TTLs drop ended records even when no instance sweeps (a grace
// after their end); what TTLs cannot do is this function's: drop a profile left
// without a device with what hangs on it, and trim the indexes of records the TTLs
// dropped.
func (tx *redisTx) DeleteExpired(now time.Time) (int, error) {
	if !tx.writable {
		return 0, errReadOnly
	}
	n, err := tx.deleteEnded(redisClients, now)
	if err != nil {
		return 0, err
	}
	purged, err := tx.deleteEmptyProfiles()
	if err != nil {
		return 0, err
	}
	n += purged
	for _, k := range redisEnding {
		m, err := tx.deleteEnded(k, now)
		if err != nil {
			return 0, err
		}
		n += m
	}
	return n, nil
}

// redisExpiry is a kind of record with an expiry index: when a record of it ends,
// and how one goes (nil: its key and its index entry).
type redisExpiry struct {
	kind string
	end  func([]byte) (time.Time, error)
	del  func(tx *redisTx, id string) error
}

var redisClients = redisExpiry{"client", func(raw []byte) (time.Time, error) {
	var c Client
	return c.ExpiresAt, json.Unmarshal(raw, &c)
}, nil}

// redisEnding are the kinds DeleteExpired drops after the clients and the empty
// profiles.
var redisEnding = []redisExpiry{
	{"token", func(raw []byte) (time.Time, error) { var t AccessToken; return t.ExpiresAt, json.Unmarshal(raw, &t) }, nil},
	{"code", func(raw []byte) (time.Time, error) { var c LinkCode; return c.NotAfter, json.Unmarshal(raw, &c) }, (*redisTx).DeleteLinkCode},
	{"mvpdlogin", func(raw []byte) (time.Time, error) { var l MVPDLogin; return l.NotAfter, json.Unmarshal(raw, &l) }, nil},
	{"act", func(raw []byte) (time.Time, error) { var c ActivationCode; return c.NotAfter, json.Unmarshal(raw, &c) }, nil},
}

// deleteEnded drops the records of k that ended at or before now, found through the
// expiry index.
func (tx *redisTx) deleteEnded(k redisExpiry, now time.Time) (int, error) {
	index := tx.s.key("exp", k.kind)
	var cmd *redis.StringSliceCmd
	err := tx.read([]string{index}, func(p redis.Pipeliner) {
		cmd = p.ZRangeByScore(tx.ctx, index, &redis.ZRangeBy{Min: "-inf", Max: strconv.FormatInt(now.UnixMilli(), 10)})
	})
	if err != nil {
		return 0, err
	}
	n, _, err := tx.dropEnded(k, cmd.Val(), now)
	return n, err
}

// dropEnded drops the records of k among ids that ended at or before now, checking
// each record itself. Index entries whose record is gone already are trimmed without
// counting; it returns how many records it dropped and how many index entries went.
func (tx *redisTx) dropEnded(k redisExpiry, ids []string, now time.Time) (dropped, unindexed int, err error) {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = tx.s.key(k.kind, id)
	}
	raws, err := tx.getRaws(keys)
	if err != nil {
		return 0, 0, err
	}
	for i, raw := range raws {
		if raw == nil {
			if err := tx.unindexExpiry(k.kind, ids[i]); err != nil {
				return 0, 0, err
			}
			unindexed++
			continue
		}
		e, err := k.end(raw)
		if err != nil {
			return 0, 0, err
		}
		if now.Before(e) {
			continue // the index is in milliseconds, or the record was renewed: it says exactly
		}
		if k.del != nil {
			err = k.del(tx, ids[i])
		} else {
			err = errors.Join(tx.delRaw(keys[i]), tx.unindexExpiry(k.kind, ids[i]))
		}
		if err != nil {
			return 0, 0, err
		}
		dropped++
		unindexed++
	}
	return dropped, unindexed, nil
}

// deleteEmptyProfiles drops every profile of maybe-empty that has no device, with
// its link codes, MVPD authentications and platform subscribers. The candidates'
// device sets and profiles are read in one round trip.
func (tx *redisTx) deleteEmptyProfiles() (int, error) {
	ids, err := tx.members(tx.s.key("maybe-empty"))
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return tx.dropEmptyProfiles(ids)
}

// dropEmptyProfiles takes ids out of maybe-empty and drops those that exist and have
// no device, with what hangs on them.
func (tx *redisTx) dropEmptyProfiles(ids []string) (int, error) {
	candidates := tx.s.key("maybe-empty")
	sets := make([]string, len(ids))
	profiles := make([]string, len(ids))
	for i, id := range ids {
		sets[i], profiles[i] = tx.s.key("devs", id), tx.s.key("profile", id)
		if err := tx.setMember(candidates, id, false); err != nil {
			return 0, err
		}
	}
	counts := make([]*redis.IntCmd, len(ids))
	if err := tx.read(sets, func(p redis.Pipeliner) {
		for i, k := range sets {
			counts[i] = p.SCard(tx.ctx, k)
		}
	}); err != nil {
		return 0, err
	}
	var empty []int
	for i := range ids {
		if _, overlaid := tx.sets[sets[i]]; overlaid || tx.cleared[sets[i]] {
			if devices, err := tx.members(sets[i]); err != nil || len(devices) > 0 {
				if err != nil {
					return 0, err
				}
				continue
			}
		} else if counts[i].Val() > 0 {
			continue
		}
		empty = append(empty, i)
	}
	keys := make([]string, len(empty))
	for j, i := range empty {
		keys[j] = profiles[i]
	}
	raws, err := tx.getRaws(keys)
	if err != nil {
		return 0, err
	}
	n := 0
	for j, raw := range raws {
		if raw == nil {
			continue
		}
		m, err := tx.purgeProfile(ids[empty[j]])
		if err != nil {
			return 0, err
		}
		n += m
	}
	return n, nil
}

// purgeProfile drops profile id and what hangs on it; it returns how many records
// went.
func (tx *redisTx) purgeProfile(id string) (int, error) {
	n := 1
	codes, err := tx.LinkCodes(id)
	if err != nil {
		return 0, err
	}
	for _, c := range codes {
		if err := tx.DeleteLinkCode(c.Hash); err != nil {
			return 0, err
		}
		n++
	}
	auths, err := tx.DeleteMVPDAuths(id)
	if err != nil {
		return 0, err
	}
	n += len(auths)
	subs, err := tx.members(tx.s.key("subs", id))
	if err != nil {
		return 0, err
	}
	for _, sid := range subs {
		key := tx.s.key("sub", sid)
		p, err := getJSON[PlatformSubscriber](tx, key)
		if errors.Is(err, ErrNotFound) || err == nil && p.ProfileID != id {
			continue
		}
		if err != nil {
			return 0, err
		}
		if err := tx.delRaw(key); err != nil {
			return 0, err
		}
		n++
	}
	return n, errors.Join(tx.clear(tx.s.key("subs", id)), tx.clear(tx.s.key("codes", id)),
		tx.clear(tx.s.key("devs", id)), tx.delRaw(tx.s.key("devver", id)), tx.delRaw(tx.s.key("profile", id)))
}
