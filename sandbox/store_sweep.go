package sandbox

import "time"

// sweeper is a driver's incremental Tx.DeleteExpired: it drops the same records, but
// in steps, each its own short transaction, so that a sweep of a million records
// never holds the store for long (one transaction over all of them took seconds,
// during which every request waited). A record is checked again in the step that
// drops it, so one renewed meanwhile (a client asking for a token, a profile gaining
// a device) stays. A driver without it is swept in one Update of DeleteExpired.
type sweeper interface {
	SweepExpired(now time.Time, step int) (SweepStats, error)
}

// SweepStats says what an incremental sweep did.
type SweepStats struct {
	Dropped int // records dropped
	Steps   int // write transactions
	// Largest is the most records one transaction examined or dropped (not counting
	// what hangs on a profile: its five link codes, its MVPD authentications): at
	// most the step.
	Largest int
}

// sweepStep is how many records one step of the sweep reads or drops: a few
// milliseconds of work on the durable store.
const sweepStep = 1000

// sweepStore drops expired records, incrementally where the driver can.
func sweepStore(st Store, now time.Time, step int) (SweepStats, error) {
	if sw, ok := st.(sweeper); ok {
		return sw.SweepExpired(now, step)
	}
	var n int
	err := st.Update(func(tx Tx) error {
		var err error
		n, err = tx.DeleteExpired(now)
		return err
	})
	return SweepStats{Dropped: n, Steps: 1, Largest: n}, err
}
