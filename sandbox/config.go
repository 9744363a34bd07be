package sandbox

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Config is everything `handoff serve` can set. Zero durations take the defaults.
type Config struct {
	DataDir               string        // durable store directory; "" with Memory false: DefaultDataDir()
	Memory                bool          // keep everything in memory
	Store                 string        // --store: a redis:// or rediss:// URL, state shared by every instance on it (store_redis.go); "": DataDir or Memory
	ServiceTokenTTL       time.Duration // 1h
	RefreshGrace          time.Duration // 24h: how long after expiry GET serviceToken still refreshes
	LinkCodeTTL           time.Duration // 10m, 1s..60m
	AccessTokenTTL        time.Duration // 6h
	MVPDAuthTTL           time.Duration // 30 days
	KeyRotation           time.Duration // 24h: age at which a new service-token signing key takes over
	LinkFailureLimit      int           // 10 failed link-code redemptions per device key and per client address...
	LinkFailureWindow     time.Duration // ...within 10m
	RedeemFailureBudget   int           // failed link-code redemptions per hour, server-wide, whatever their source (docs/security.md)
	MaxDevicesPerProfile  int           // 100: a join past it is refused
	ServiceProviders      []string      // allow-list; empty: any valid name
	AllowDeviceIDFallback bool          // POST serviceToken without X-SSO-ID uses the device key as the SSO id
	NoOpenRegistration    bool          // turns off GET /sandbox/software-statement
	LAN                   bool          // Start also listens on this machine's LAN address (ChooseLANAddress), on the same port
	LANInterface          string        // with LAN: take the address from this interface; "": chosen
	Advertise             string        // base URL devices are sent to (a tunnel, a hostname); "": the LAN URL, else the loopback one
	Now                   func() time.Time
	Logger                *slog.Logger // one line per request; nil: discard
	AdminToken            string       // bearer token of /sandbox/admin/ (admin.go); "": a random one, see Server.AdminToken
	AdminRemote           bool         // the admin API also answers callers beyond loopback (--lan, --advertise)
	Seed                  *uint64      // --seed: link codes and identifiers drawn from this seed (seed.go); nil: crypto/rand
}

// Defaults, as the spec and `handoff serve --help` give them.
const (
	DefaultServiceTokenTTL   = time.Hour
	DefaultRefreshGrace      = 24 * time.Hour
	DefaultLinkCodeTTL       = 10 * time.Minute
	DefaultAccessTokenTTL    = 6 * time.Hour
	DefaultMVPDAuthTTL       = 30 * 24 * time.Hour
	DefaultKeyRotation       = 24 * time.Hour
	DefaultLinkFailureLimit  = 10
	DefaultLinkFailureWindow = 10 * time.Minute
	// DefaultRedeemFailureBudget keeps the chance that guesses redeem any of 100 live
	// codes under 1 % an hour: 90 guesses × 100/10⁶ = 0.9 % (docs/security.md).
	DefaultRedeemFailureBudget  = 90
	RedeemFailureWindow         = time.Hour
	DefaultMaxDevicesPerProfile = 100
	MinLinkCodeTTL              = time.Second
	MaxLinkCodeTTL              = time.Hour
)

// Validate reports the first setting that is out of range, in words a user of
// `handoff serve` can act on.
func (c Config) Validate() error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"service-token-ttl", c.ServiceTokenTTL}, {"refresh-grace", c.RefreshGrace},
		{"link-code-ttl", c.LinkCodeTTL}, {"access-token-ttl", c.AccessTokenTTL},
		{"mvpd-auth-ttl", c.MVPDAuthTTL}, {"key-rotation", c.KeyRotation},
		{"link-failure-window", c.LinkFailureWindow},
	} {
		if d.v < 0 {
			return fmt.Errorf("--%s must not be negative (got %s)", d.name, d.v)
		}
	}
	if c.LinkCodeTTL != 0 && (c.LinkCodeTTL < MinLinkCodeTTL || c.LinkCodeTTL > MaxLinkCodeTTL) {
		return fmt.Errorf("--link-code-ttl must be between %s and %s (got %s)", MinLinkCodeTTL, MaxLinkCodeTTL, c.LinkCodeTTL)
	}
	if c.LinkFailureLimit < 0 {
		return fmt.Errorf("the link failure limit must not be negative (got %d)", c.LinkFailureLimit)
	}
	if c.RedeemFailureBudget < 0 {
		return fmt.Errorf("--redeem-failure-budget must not be negative (got %d)", c.RedeemFailureBudget)
	}
	if c.MaxDevicesPerProfile < 0 {
		return fmt.Errorf("--max-devices-per-profile must not be negative (got %d)", c.MaxDevicesPerProfile)
	}
	for _, sp := range c.ServiceProviders {
		if !validServiceProvider(sp) {
			return fmt.Errorf("--service-provider %q: a service provider is 1 to 64 of A-Z a-z 0-9 _ . -", sp)
		}
	}
	if c.LANInterface != "" && !c.LAN {
		return errors.New("--lan-interface chooses the interface of --lan: give --lan too")
	}
	if c.Advertise != "" {
		if _, err := advertisedURL(c.Advertise); err != nil {
			return err
		}
	}
	if c.Memory && c.DataDir != "" {
		return errors.New("choose either --data DIR or --memory, not both")
	}
	if c.Store != "" {
		if c.Memory || c.DataDir != "" {
			return errors.New("choose one of --store URL, --data DIR or --memory")
		}
		if !strings.HasPrefix(c.Store, "redis://") && !strings.HasPrefix(c.Store, "rediss://") {
			return errors.New("--store takes a Redis URL, redis://HOST:PORT/DB (rediss:// for TLS); for a file use --data DIR, for memory --memory")
		}
	}
	return nil
}

// withDefaults fills the zero values.
func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.ServiceTokenTTL, DefaultServiceTokenTTL)
	def(&c.RefreshGrace, DefaultRefreshGrace)
	def(&c.LinkCodeTTL, DefaultLinkCodeTTL)
	def(&c.AccessTokenTTL, DefaultAccessTokenTTL)
	def(&c.MVPDAuthTTL, DefaultMVPDAuthTTL)
	def(&c.KeyRotation, DefaultKeyRotation)
	def(&c.LinkFailureWindow, DefaultLinkFailureWindow)
	if c.LinkFailureLimit == 0 {
		c.LinkFailureLimit = DefaultLinkFailureLimit
	}
	if c.RedeemFailureBudget == 0 {
		c.RedeemFailureBudget = DefaultRedeemFailureBudget
	}
	if c.MaxDevicesPerProfile == 0 {
		c.MaxDevicesPerProfile = DefaultMaxDevicesPerProfile
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// validServiceProvider says whether sp matches [A-Za-z0-9_.-]{1,64}.
func validServiceProvider(sp string) bool {
	if len(sp) == 0 || len(sp) > 64 {
		return false
	}
	for i := 0; i < len(sp); i++ {
		c := sp[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}
