package sandbox

import (
	"slices"
	"strings"
)

func (tx *memoryTx) MVPDLogin(hash string) (MVPDLogin, error) { return get(tx.m.mvpdLogins, hash) }

func (tx *memoryTx) PutMVPDLogin(l MVPDLogin) error {
	return setUndoable(tx, tx.m.mvpdLogins, l.Hash, l, false)
}

func (tx *memoryTx) DeleteMVPDLogin(hash string) error {
	return setUndoable(tx, tx.m.mvpdLogins, hash, MVPDLogin{}, true)
}

func (tx *memoryTx) MVPDAuths(profileID string) ([]MVPDAuth, error) {
	byMVPD := tx.m.mvpdAuths[profileID]
	out := make([]MVPDAuth, 0, len(byMVPD))
	for _, a := range byMVPD {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b MVPDAuth) int { return strings.Compare(a.MVPD, b.MVPD) })
	return out, nil
}

func (tx *memoryTx) PutMVPDAuth(a MVPDAuth) error {
	if !tx.writable {
		return errReadOnly
	}
	byMVPD, ok := tx.m.mvpdAuths[a.ProfileID]
	if !ok {
		byMVPD = map[string]MVPDAuth{}
		tx.m.mvpdAuths[a.ProfileID] = byMVPD
	}
	return setUndoable(tx, byMVPD, a.MVPD, a, false)
}

func (tx *memoryTx) DeleteMVPDAuths(profileID string) ([]MVPDAuth, error) {
	if !tx.writable {
		return nil, errReadOnly
	}
	gone, _ := tx.MVPDAuths(profileID)
	for _, a := range gone {
		if err := setUndoable(tx, tx.m.mvpdAuths[profileID], a.MVPD, MVPDAuth{}, true); err != nil {
			return nil, err
		}
	}
	return gone, nil
}

func (tx *memoryTx) DevicesByKey(key string) ([]Device, error) {
	var out []Device
	for _, byKey := range tx.m.devices {
		if d, ok := byKey[key]; ok {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b Device) int { return strings.Compare(a.ProfileID, b.ProfileID) })
	return out, nil
}

func (tx *memoryTx) PlatformSubscriber(platform, subscriber string) (PlatformSubscriber, error) {
	return get(tx.m.subscribers, platform+"\x00"+subscriber)
}

func (tx *memoryTx) PutPlatformSubscriber(p PlatformSubscriber) error {
	return setUndoable(tx, tx.m.subscribers, p.Platform+"\x00"+p.Subscriber, p, false)
}
