package sandbox

import "time"

func (m *memoryStore) Counts(now time.Time) (StoreCounts, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c := StoreCounts{Profiles: m.profiles.len(), Clients: m.clients.len(), PlatformSubscribers: len(m.subscribers)}
	for _, ds := range m.devices {
		c.Devices += len(ds)
	}
	for _, as := range m.mvpdAuths {
		c.MVPDAuthentications += len(as)
	}
	for _, lc := range m.codes.all() {
		if now.Before(lc.NotAfter) {
			c.LinkCodes++
		}
	}
	for _, t := range m.tokens.all() {
		if now.Before(t.ExpiresAt) {
			c.AccessTokens++
		}
	}
	for _, l := range m.mvpdLogins.all() {
		if now.Before(l.NotAfter) {
			c.MVPDLogins++
		}
	}
	return c, nil
}

func (m *memoryStore) Reset() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clients.clear()
	m.tokens.clear()
	m.profiles.clear()
	clear(m.devices)
	clear(m.deviceKeys)
	clear(m.deviceVersions)
	m.codes.clear()
	clear(m.profileCodes)
	m.mvpdLogins.clear()
	clear(m.mvpdAuths)
	clear(m.subscribers)
	return nil
}
