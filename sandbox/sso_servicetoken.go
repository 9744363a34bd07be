package sandbox

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

func (s *Server) writeServiceToken(w http.ResponseWriter, r *http.Request, status int, key Key, d Device, now time.Time) {
	label := "CREATED"
	if status == http.StatusOK {
		label = "OK"
	}
	bp := tokenBodies.Get().(*[]byte)
	defer tokenBodies.Put(bp)
	b := append((*bp)[:0], `{"status":"`...)
	b = append(b, label...)
	// The token is base64url and dots (appendSignedJWT): nothing in it needs escaping.
	b = append(b, `","serviceToken":"`...)
	b, nbf, exp, err := s.appendServiceToken(b, key, d, now)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	b = append(b, `","notBefore":`...)
	b = strconv.AppendInt(b, nbf.UnixMilli(), 10)
	b = append(b, `,"notAfter":`...)
	b = strconv.AppendInt(b, exp.UnixMilli(), 10)
	b = append(b, '}')
	writeRawJSON(w, status, b) // net/http has copied it when this returns
	*bp = b
}

// tokenBodies keeps the buffers service-token answers are written in.
var tokenBodies = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// clientAddress is the peer's address for the link-code limiter: an IPv4 address, or
// the /64 of an IPv6 one, since a single host is handed a whole /64.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return "addr:" + host
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		return "net:" + netip.PrefixFrom(ip, 64).Masked().String()
	}
	return "addr:" + ip.String()
}

func (s *Server) handleCreateServiceToken(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	key, err := s.signingKey(now)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	deviceKey, devErr := parseDeviceIdentifier(header(r, hdrDeviceID))
	info, infoErr := parseDeviceInfo(header(r, hdrDeviceInfo))
	attrs := info.merge(fromUserAgent(header(r, hdrUserAgent)))
	ssoID, link, rokuToken := header(r, hdrSSOID), header(r, hdrSSOLink), r.Header.Get(headerRokuToken)
	subscriber, platformErr := s.rokuSubscriber(rokuToken)
	sp := r.PathValue("sp")
	var attempt redemption
	if link != "" && devErr == nil {
		attempt = s.startRedemption(r, deviceKey, now)
		defer func() { attempt.end() }()
	}
	var joined Device
	run := s.store.Batch
	if link == "" {
		run = s.readFirst // redeeming spends a code: a write every time
	}
	ok := s.transactIn(run, w, r, now, writeError, func(tx Tx) error {
		attempt.failed = false // afresh on each run of the Batch
		switch {
		case errors.Is(devErr, errDeviceIDBad):
			return refusal{errBadDeviceID}
		case errors.Is(infoErr, errDeviceInfoField):
			return refusal{errBadDeviceInfoField}
		case infoErr != nil:
			return refusal{errBadDeviceInfo}
		case ssoID != "" && link != "":
			return refusal{errBothIdentities}
		case rokuToken != "" && (ssoID != "" || link != ""):
			return refusal{errPlatformAndOther}
		case ssoID == "" && link == "" && rokuToken == "" && !(s.cfg.AllowDeviceIDFallback && devErr == nil):
			return refusal{errNoIdentity}
		case devErr != nil:
			return refusal{errNoDeviceID}
		case platformErr != nil:
			return refusal{platformErr}
		}
		kind := DeviceRegular
		profile := profileID(nsSSO, sp, ssoID)
		if rokuToken != "" {
			kind = DevicePlatformSSO
			var err error
			if profile, err = s.platformProfile(tx, platformRoku, sp, subscriber, now); err != nil {
				return err
			}
		} else if link != "" {
			kind = DeviceSSO
			var err error
			if profile, err = s.redeem(tx, &attempt, sp, link, now); err != nil {
				return err
			}
		} else if ssoID == "" {
			profile = profileID(nsSSO, sp, deviceKey)
		} else if !validSSOID(ssoID) {
			return refusal{errBadSSOID}
		}
		var err error
		joined, err = join(tx, profile, deviceKey, kind, attrs, s.cfg.MaxDevicesPerProfile, now)
		return err
	})
	if ok {
		s.writeServiceToken(w, r, http.StatusCreated, key, joined, now)
	}
}

// budgetKey is the one key of the server-wide failure budget: every failed
// redemption counts against it, whatever address or device key it came from.
const budgetKey = "server"

// retryAfter is a Retry-After value: whole seconds, rounded up.
func retryAfter(wait time.Duration) string {
	return strconv.FormatInt(int64((wait+time.Second-1)/time.Second), 10)
}

// redemption is one attempt to redeem a link code under the brute-force limiter
// (only failures count). The attempt holds its place in the limits from its start,
// before the store transaction, so that the check and the count are one atomic step
// however many attempts run at once (and are not repeated when a Batch runs its
// function again); end counts it as a failure when the code was refused, and gives
// the place back otherwise.
type redemption struct {
	wait   time.Duration // over the limit: the Retry-After, and nothing is counted
	settle []func(failed bool)
	failed bool // the code was refused, in the last run of the transaction
}

func (s *Server) startRedemption(r *http.Request, deviceKey string, now time.Time) redemption {
	wait, settleKeys := s.limiter.reserve(now, "device:"+deviceKey, clientAddress(r))
	if wait > 0 {
		return redemption{wait: max(wait, s.budget.blocked(now, budgetKey))}
	}
	wait, settleBudget := s.budget.reserve(now, budgetKey)
	if wait > 0 {
		settleKeys(false)
		return redemption{wait: wait}
	}
	return redemption{settle: []func(bool){settleKeys, settleBudget}}
}

// end settles the attempt: a failure when the code was refused.
func (a redemption) end() {
	for _, f := range a.settle {
		f(a.failed)
	}
}

// redeem spends a link code inside tx, under the limiter's verdict in a, and returns
// the profile that made it.
func (s *Server) redeem(tx Tx, a *redemption, sp, input string, now time.Time) (string, error) {
	if a.wait > 0 {
		return "", refusal{errTooMany.with("Retry-After", retryAfter(a.wait))}
	}
	code, ok := normalizeLinkCode(input)
	var rec LinkCode
	if ok {
		var err error
		if rec, ok, err = redeemLinkCode(tx, s.keys.linkCode.Secret, sp, code, now); err != nil {
			return "", err
		}
	}
	if !ok {
		a.failed = true
		return "", refusal{errBadLinkCode}
	}
	return rec.ProfileID, nil
}

// join makes deviceKey a member of the profile (creating it on first use), unless the
// profile holds maxDevices already. A device that is a member already keeps its join
// id, so its earlier tokens stay good.
func join(tx Tx, profileID, deviceKey, kind string, a deviceAttributes, maxDevices int, now time.Time) (Device, error) {
	if _, err := tx.Profile(profileID); errors.Is(err, ErrNotFound) {
		if err := tx.PutProfile(Profile{ID: profileID, CreatedAt: now}); err != nil {
			return Device{}, err
		}
	} else if err != nil {
		return Device{}, err
	}
	d, err := tx.Device(profileID, deviceKey)
	member := err == nil
	if errors.Is(err, ErrNotFound) {
		members, err := tx.Devices(profileID)
		if err != nil {
			return Device{}, err
		}
		if len(members) >= maxDevices {
			return Device{}, refusal{errProfileFull(maxDevices)}
		}
		d = Device{ProfileID: profileID, Key: deviceKey, JoinID: randomHex(8), JoinedAt: now}
	} else if err != nil {
		return Device{}, err
	}
	before := d
	d.Type = kind
	d.HardwareType, d.Model, d.Manufacturer = a.HardwareType, a.Model, a.Manufacturer
	d.OS, d.OSVersion, d.UserAgent = a.OS, a.OSVersion, a.UserAgent
	if member && d == before && !stale(d, now) {
		return d, nil // a member joining again as it is: nothing to write
	}
	d.LastSeen = now
	return d, tx.PutDevice(d)
}

// errNeedsWrite is what readFirst's probe returns for a write: the call runs again in
// a Batch.
var errNeedsWrite = errors.New("sandbox: this call writes")

// readFirst runs fn in a read transaction first, where every write fn attempts
// fails with errNeedsWrite, and only then, if fn had to write, in a Batch: a device
// that asks again for a service token, as it is and seen within the minute, costs
// no commit.
func (s *Server) readFirst(fn func(Tx) error) error {
	err := s.store.View(func(tx Tx) error { return fn(writeProbe{tx}) })
	if !errors.Is(err, errNeedsWrite) {
		return err
	}
	return s.store.Batch(fn)
}

// writeProbe is a read transaction whose writes fail with errNeedsWrite. It covers
// the writes that POST serviceToken makes without a link code (join, and a platform
// join's first subscriber); any other write fails in the read transaction itself.
type writeProbe struct{ Tx }

func (writeProbe) PutProfile(Profile) error                       { return errNeedsWrite }
func (writeProbe) PutDevice(Device) error                         { return errNeedsWrite }
func (writeProbe) PutPlatformSubscriber(PlatformSubscriber) error { return errNeedsWrite }

// validSSOID bounds a common identifier: 1 to 256 printable characters.
func validSSOID(id string) bool {
	if len(id) == 0 || len(id) > 256 {
		return false
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

func (s *Server) handleRefreshServiceToken(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	key, err := s.signingKey(now)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	var d Device
	ok := s.view(w, r, now, func(tx Tx) error {
		var err error
		d, err = s.caller(tx, r, errTokenMissingGET, s.cfg.RefreshGrace, now)
		return err
	})
	if ok {
		s.markSeen(&d, now)
		s.writeServiceToken(w, r, http.StatusOK, key, d, now)
	}
}
