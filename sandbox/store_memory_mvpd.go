package sandbox

import (
	"slices"
	"strings"
)

func (tx *memoryTx) MVPDLogin(hash string) (MVPDLogin, error) {
	return get(tx.m.mvpdLogins.of(hash), hash)
}

func (tx *memoryTx) PutMVPDLogin(l MVPDLogin) error {
	return setUndoable(tx, tx.m.mvpdLogins.of(l.Hash), l.Hash, l, false)
}

func (tx *memoryTx) DeleteMVPDLogin(hash string) error {
	return setUndoable(tx, tx.m.mvpdLogins.of(hash), hash, MVPDLogin{}, true)
}

func (tx *memoryTx) MVPDAuths(profileID string) ([]MVPDAuth, error) {
	return sortedValues(tx.m.mvpdAuths[profileID]), nil
}

func (tx *memoryTx) PutMVPDAuth(a MVPDAuth) error {
	return setNested(tx, tx.m.mvpdAuths, a.ProfileID, a.MVPD, a)
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

func (tx *memoryTx) PlatformSubscriber(platform, sp, subscriber string) (PlatformSubscriber, error) {
	return get(tx.m.subscribers, platform+"\x00"+sp+"\x00"+subscriber)
}

func (tx *memoryTx) PutPlatformSubscriber(p PlatformSubscriber) error {
	return setUndoable(tx, tx.m.subscribers, p.Platform+"\x00"+p.ServiceProvider+"\x00"+p.Subscriber, p, false)
}
