package sandbox

import (
	"errors"
	"math/rand/v2"
	"time"
)

// ErrNotFound is what a Tx returns when the record asked for does not exist.
var ErrNotFound = errors.New("sandbox store: not found")

// Store keeps the sandbox's state. Every read and write goes through a transaction, so
// a request's writes commit together (and durably, on a durable driver) before its 2xx
// answer, or not at all. Records are plain values: a driver never hands out memory
// that the caller could change behind its back. Read-only calls run in View; the
// writes of requests run in Batch, which may share a commit. A driver may also
// implement sweeper (store_sweep.go), to drop expired records in bounded steps.
type Store interface {
	// View runs fn in a read-only transaction; writes in it fail.
	View(fn func(Tx) error) error
	// Update runs fn in a read-write transaction that commits when fn returns nil and
	// rolls back entirely when it returns an error. Updates are serialisable. On the
	// memory and bbolt drivers fn runs exactly once; Redis's optimistic transactions
	// run it again after a conflicting write (never after fn's own error), so fn
	// keeps its effects inside tx and sets its results afresh, as Batch's must.
	Update(fn func(Tx) error) error
	// Batch is Update for a request's short write, which may share one commit (one
	// sync) with other callers' Batches: fn's writes commit, durably, before Batch
	// returns nil, or not at all, and Batches are serialisable as on Update. But fn
	// may run more than once (after another fn of its batch failed, the rest run
	// again), so it must have no effect outside tx but setting its results afresh
	// on each run; whatever must not repeat (a limiter's count, a log line) happens
	// before or after Batch. A driver without group commit runs Update.
	Batch(fn func(Tx) error) error
	// Location says where the data lives, for people: a file path, or "memory".
	Location() string
	Close() error
}

// Tx is one transaction. Each kind of record has its own get/put/delete, and records
// are stored as JSON, so new features extend rather than reshape it: the MVPD
// sign-in's records (login sessions, a profile's authentications, one per MVPD) and
// the platform subscribers (Roku) have their own methods and buckets (store_mvpd.go).
// Lists are ordered by key.
type Tx interface {
	Client(id string) (Client, error)
	PutClient(Client) error

	AccessToken(hash string) (AccessToken, error)
	PutAccessToken(AccessToken) error
	DeleteAccessToken(hash string) error

	Profile(id string) (Profile, error)
	PutProfile(Profile) error

	Device(profileID, key string) (Device, error)
	Devices(profileID string) ([]Device, error)
	PutDevice(Device) error
	DeleteDevice(profileID, key string) error
	// TouchDevice moves the device's LastSeen forward to seen, and only that: it does
	// nothing when the device is gone, has joined again since (its JoinID is not
	// joinID) or was seen at or after seen. It is idempotent, so that it can run in a
	// Batch; the server calls it at most once a minute per device (seenEvery), so a
	// read-only call does not write on every request.
	TouchDevice(profileID, key, joinID string, seen time.Time) error
	// DevicesVersion is a value that changes whenever the profile's devices do (one
	// joins, is seen, joins again or leaves), and on nothing else, so that the server
	// can keep the list's answer of a large profile instead of encoding it again on
	// each call (listcache.go). 0 means unknown: there is no answer to keep under it.
	DevicesVersion(profileID string) (uint64, error)

	LinkCode(hash string) (LinkCode, error)
	LinkCodes(profileID string) ([]LinkCode, error)
	PutLinkCode(LinkCode) error
	DeleteLinkCode(hash string) error

	// DevicesByKey lists a device key's memberships, one per profile it is in.
	DevicesByKey(key string) ([]Device, error)

	MVPDLogin(hash string) (MVPDLogin, error)
	PutMVPDLogin(MVPDLogin) error
	DeleteMVPDLogin(hash string) error

	MVPDAuths(profileID string) ([]MVPDAuth, error)
	PutMVPDAuth(MVPDAuth) error
	// DeleteMVPDAuths drops every authentication of the profile and returns them.
	DeleteMVPDAuths(profileID string) ([]MVPDAuth, error)

	PlatformSubscriber(platform, serviceProvider, subscriber string) (PlatformSubscriber, error)
	PutPlatformSubscriber(PlatformSubscriber) error

	// The second-screen codes (store_activation.go).
	ActivationCode(hash string) (ActivationCode, error)
	PutActivationCode(ActivationCode) error
	DeleteActivationCode(hash string) error

	// DeleteExpired drops clients, access tokens, link codes, MVPD sign-ins and
	// activation codes that ended before now, and every profile left without a device
	// together with what hangs on it (its link codes, MVPD authentications and
	// platform subscribers); it returns how many records it dropped. MVPD
	// authentications of a profile that still has devices stay: an expired one is
	// what the v1 call's 410 reports.
	DeleteExpired(now time.Time) (int, error)
}

// Key is a server secret: a service-token signing key, the software-statement key,
// the link-code hashing key or the simulated Roku's keys. Keys live in their own file
// (keyfile.go), never in the store. RetireAt zero means the key is in use.
type Key struct {
	Purpose   string    `json:"purpose"`
	ID        string    `json:"id"`
	Secret    []byte    `json:"secret"`
	CreatedAt time.Time `json:"createdAt"`
	RetireAt  time.Time `json:"retireAt,omitzero"`
}

// Client is a registered application. Only a hash of its secret is kept. It expires
// when it has asked for no access token for a while (ExpiresAt moves on with each
// one); zero, for a client registered before clients expired, never. Tokens are the
// hashes of its latest access tokens, oldest first: at most maxTokensPerClient, so
// that a client asking for token after token cannot grow the store without end.
type Client struct {
	ID           string    `json:"id"`
	SecretHash   string    `json:"secretHash"`
	SoftwareID   string    `json:"softwareId"`
	RedirectURIs []string  `json:"redirectUris,omitempty"`
	IssuedAt     time.Time `json:"issuedAt"`
	ExpiresAt    time.Time `json:"expiresAt,omitzero"`
	Tokens       []string  `json:"tokens,omitempty"`
}

// AccessToken is a bearer token, known only by its hash.
type AccessToken struct {
	Hash      string    `json:"hash"`
	ClientID  string    `json:"clientId"`
	CreatedAt time.Time `json:"createdAt"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// Profile is an SSO profile: the common identifier that devices share. The profile is
// where the MVPD authentication of the next step belongs, and a platform join is a
// profile whose ID is derived from the platform subscriber.
type Profile struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
}

// Device types, as the device list shows them.
const (
	DeviceRegular     = "regular"
	DeviceSSO         = "sso"
	DevicePlatformSSO = "platformSSO"
)

// Device is one device of a profile. JoinID changes each time the device joins, and
// every service token carries it, so tokens from before an unlink stay dead even if
// the device joins again.
type Device struct {
	ProfileID    string    `json:"profileId"`
	Key          string    `json:"key"`
	Type         string    `json:"type"`
	JoinID       string    `json:"joinId"`
	JoinedAt     time.Time `json:"joinedAt"`
	LastSeen     time.Time `json:"lastSeen"`
	HardwareType string    `json:"hardwareType,omitempty"`
	Model        string    `json:"model,omitempty"`
	Manufacturer string    `json:"manufacturer,omitempty"`
	OS           string    `json:"os,omitempty"`
	OSVersion    string    `json:"osVersion,omitempty"`
	UserAgent    string    `json:"userAgent,omitempty"`
}

// LinkCode is a live link code, known only by its keyed hash.
type LinkCode struct {
	Hash      string    `json:"hash"`
	ProfileID string    `json:"profileId"`
	DeviceKey string    `json:"deviceKey"` // the device that asked for it
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
}

// newDevicesVersion is a profile's next DevicesVersion: random rather than counted, so
// that a profile dropped and made again, a store reset or a restore cannot bring back
// a version an answer was kept under.
func newDevicesVersion() uint64 { return rand.Uint64() | 1 }
