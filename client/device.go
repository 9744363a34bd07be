package client

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/keystore"
)

// DeviceConfig describes a simulated device.
type DeviceConfig struct {
	Name       string // "phone", "tv", "tv2"
	Server     string // base URL
	SP         string // service provider, default DefaultServiceProvider
	Preset     string // used when the device is first created; default by Role
	Role       assets.Role
	Store      keystore.Store // nil: memory
	HTTPClient *http.Client
	Trace      func(Exchange)
	// RevealSecrets: see Options.RevealSecrets.
	RevealSecrets bool
	Now           func() time.Time
	// SoftwareStatement for a real server's registration (--software-statement,
	// HANDOFF_SOFTWARE_STATEMENT); empty: the sandbox's, when the server offers one.
	SoftwareStatement []byte
}

// DeviceState is a snapshot of a device for display. It holds no secret.
type DeviceState struct {
	Name      string
	Account   string // keystore account
	StoreKind string
	Key       string // the device key (AP-Device-Identifier payload)
	Preset    assets.Preset
	Server    string
	SP        string
	SignedIn  bool        // holds a service token the service has not refused
	Claims    TokenClaims // of the current service token
	NotAfter  time.Time   // when the current service token expires
	JoinedVia string      // "regular", "sso", "platformSSO", "" when not joined
	Unlinked  bool        // the service said this device was unlinked
}

// Device is a simulated device of the flow. Its methods are the steps; each saves the
// device's record to its store before it returns. Safe for concurrent use: steps may
// run at the same time (the last answer wins), and State never waits for the network.
type Device struct {
	name    string
	account string
	sp      string
	store   keystore.Store
	preset  assets.Preset
	headers DeviceHeaders
	client  *Client

	mu  sync.Mutex // guards rec
	rec record
	// saveMu orders writes to the store: each write marshals the record as it is
	// when the write starts, so a slow store never writes an older record last.
	saveMu sync.Mutex
}

// record is what a device keeps in its store, in one small JSON value (a keyring
// entry must stay well under 2 KB).
type record struct {
	Version      int           `json:"v"`
	Key          string        `json:"key"`
	Preset       string        `json:"preset"`
	Registration *Registration `json:"reg,omitempty"`
	ServiceToken string        `json:"st,omitempty"`
	NotAfter     Millis        `json:"notAfter,omitempty"`
	JoinedVia    string        `json:"via,omitempty"`
	Unlinked     bool          `json:"unlinked,omitempty"`
}

const recordVersion = 1

var deviceNamePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,32}$`)

// OpenDevice loads a device from its store, or creates it (new key, preset) when the
// store has no record. It makes no network call.
func OpenDevice(cfg DeviceConfig) (*Device, error) {
	if !deviceNamePattern.MatchString(cfg.Name) {
		return nil, &InputError{Msg: fmt.Sprintf("The device name %q is not valid: use 1 to 32 letters, digits, dots, dashes or underscores.", cfg.Name)}
	}
	if cfg.SP == "" {
		cfg.SP = DefaultServiceProvider
	}
	if err := checkSP(cfg.SP); err != nil {
		return nil, err
	}
	base, err := parseServer(cfg.Server)
	if err != nil {
		return nil, err
	}
	if cfg.Store == nil {
		cfg.Store = keystore.NewMemory()
	}
	if cfg.Role == "" {
		cfg.Role = assets.RolePrimary
	}
	d := &Device{
		name:    cfg.Name,
		account: keystore.Account(cfg.Name, hostPort(base), cfg.SP),
		sp:      cfg.SP,
		store:   cfg.Store,
	}
	created, err := d.load(cfg)
	if err != nil {
		return nil, err
	}
	info, err := json.Marshal(d.preset.Info)
	if err != nil {
		return nil, err
	}
	d.headers = DeviceHeaders{Key: d.rec.Key, Info: base64.StdEncoding.EncodeToString(info), UserAgent: d.preset.UserAgent}
	d.client, err = New(base, Options{
		HTTPClient:        cfg.HTTPClient,
		Cache:             d,
		SoftwareStatement: cfg.SoftwareStatement,
		RevealSecrets:     cfg.RevealSecrets,
		Trace:             cfg.Trace,
		Now:               cfg.Now,
		UserAgent:         d.preset.UserAgent,
		DeviceInfo:        d.headers.Info,
	})
	if err != nil {
		return nil, err
	}
	d.client.device = cfg.Name
	if created {
		if err := d.save(); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// load reads the record, or makes a new identity when there is none.
func (d *Device) load(cfg DeviceConfig) (created bool, err error) {
	data, err := d.store.Get(d.account)
	switch {
	case errors.Is(err, keystore.ErrNotFound):
		p, err := pickPreset(cfg.Preset, cfg.Role)
		if err != nil {
			return false, err
		}
		d.preset = p
		d.rec = record{Version: recordVersion, Key: NewDeviceKey(), Preset: p.Name}
		return true, nil
	case err != nil:
		return false, &StoreError{Kind: d.store.Kind(), Account: d.account, Err: err}
	}
	if err := json.Unmarshal(data, &d.rec); err != nil || d.rec.Key == "" {
		return false, &InputError{Msg: fmt.Sprintf("The saved record of device %q in the %s keystore is unreadable: forget the device to start it anew.", cfg.Name, d.store.Kind())}
	}
	p, ok := assets.LookupPreset(d.rec.Preset)
	if !ok {
		// A preset renamed since the device was made: keep the identity, show the
		// role's default hardware.
		p = assets.DefaultPreset(cfg.Role)
	}
	d.preset = p
	return false, nil
}

func pickPreset(name string, role assets.Role) (assets.Preset, error) {
	if name == "" {
		return assets.DefaultPreset(role), nil
	}
	p, ok := assets.LookupPreset(name)
	if !ok {
		return assets.Preset{}, &InputError{Msg: fmt.Sprintf("Unknown preset %q: choose one of %v.", name, assets.PresetNames())}
	}
	return p, nil
}

// NewDeviceKey makes a device key as the spec says: the standard Base64 of the
// SHA-256 of a new UUID.
func NewDeviceKey() string {
	sum := sha256.Sum256([]byte(uuid.NewString()))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// hostPort names the server in keystore accounts, with the scheme's port when the URL
// has none, so that two spellings of one server share the device.
func hostPort(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	if u.Port() != "" {
		return u.Host
	}
	port := "80"
	if u.Scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// save writes the record as it is now.
func (d *Device) save() error {
	d.saveMu.Lock()
	defer d.saveMu.Unlock()
	d.mu.Lock()
	data, err := json.Marshal(d.rec)
	d.mu.Unlock()
	if err != nil {
		return err
	}
	if err := d.store.Set(d.account, data); err != nil {
		return &StoreError{Kind: d.store.Kind(), Account: d.account, Err: err}
	}
	return nil
}

// LoadRegistration implements RegistrationCache: the device keeps its application's
// registration in its own record.
func (d *Device) LoadRegistration() (Registration, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.rec.Registration == nil {
		return Registration{}, false
	}
	return *d.rec.Registration, true
}

// SaveRegistration implements RegistrationCache.
func (d *Device) SaveRegistration(r Registration) error {
	d.mu.Lock()
	d.rec.Registration = &r
	d.mu.Unlock()
	return d.save()
}

// Client is the device's HTTP client, for calls the steps do not cover.
func (d *Device) Client() *Client { return d.client }

// Headers are the identity headers the device sends.
func (d *Device) Headers() DeviceHeaders { return d.headers }

// State is a snapshot of the device for display; it holds no secret.
func (d *Device) State() DeviceState {
	d.mu.Lock()
	rec := d.rec
	d.mu.Unlock()
	s := DeviceState{
		Name:      d.name,
		Account:   d.account,
		StoreKind: d.store.Kind(),
		Key:       rec.Key,
		Preset:    d.preset,
		Server:    d.client.Server(),
		SP:        d.sp,
		SignedIn:  rec.ServiceToken != "" && !rec.Unlinked,
		NotAfter:  rec.NotAfter.Time(),
		JoinedVia: rec.JoinedVia,
		Unlinked:  rec.Unlinked,
	}
	if rec.ServiceToken != "" {
		s.Claims, _ = DecodeClaims(rec.ServiceToken)
	}
	return s
}
