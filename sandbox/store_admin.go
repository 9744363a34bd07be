package sandbox

import (
	"errors"
	"time"
)

// adminStore is what the admin API needs of a driver beyond Tx: counts for
// `handoff sandbox state` and an empty store for `handoff sandbox reset`. Both
// drivers implement it in their *_admin.go file.
type adminStore interface {
	// Counts counts the records; the ones that expire count only while live at now.
	Counts(now time.Time) (StoreCounts, error)
	// Reset deletes every record but the keys, in one transaction.
	Reset() error
}

var errNoAdminStore = errors.New("sandbox store: no counts or reset on this driver")

// StoreCounts is how many records of each kind the store holds.
type StoreCounts struct {
	Profiles            int `json:"profiles"`
	Devices             int `json:"devices"`
	LinkCodes           int `json:"linkCodes"` // live
	Clients             int `json:"clients"`
	AccessTokens        int `json:"accessTokens"` // live
	MVPDLogins          int `json:"mvpdLogins"`   // live sign-ins in progress
	MVPDAuthentications int `json:"mvpdAuthentications"`
	PlatformSubscribers int `json:"platformSubscribers"`
}

// reset forgives every failure.
func (l *failureLimiter) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.failures)
}
