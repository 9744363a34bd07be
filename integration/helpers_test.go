package integration

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/integration/redisserver"
	"github.com/handoff-sso/handoff/keystore"
	"github.com/handoff-sso/handoff/sandbox"
)

// drivers are the sandbox's store drivers; each test runs against all of them.
var drivers = []string{"memory", "bbolt", "redis"}

// clock is the one injected time of a test, shared by the sandbox and the devices.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Now().Truncate(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// startSandbox serves a sandbox of the given driver on a loopback port until the test
// ends. now may be nil (real time).
func startSandbox(tb testing.TB, driver string, now func() time.Time) string {
	tb.Helper()
	cfg := sandbox.Config{Now: now}
	switch driver {
	case "memory":
		cfg.Memory = true
	case "bbolt":
		cfg.DataDir = tb.TempDir()
	case "redis":
		cfg.Store = redisserver.Start(tb, false).URL(0)
	default:
		tb.Fatalf("unknown driver %q", driver)
	}
	srv, err := sandbox.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			tb.Error(err)
		}
	})
	return url
}

// openDevice opens a simulated device on the sandbox.
func openDevice(tb testing.TB, cfg client.DeviceConfig) *client.Device {
	tb.Helper()
	if cfg.Store == nil {
		cfg.Store = keystore.NewMemory()
	}
	if cfg.Role == "" {
		cfg.Role = assets.RolePrimary
	}
	d, err := client.OpenDevice(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// linkTV has the signed-in phone ask for a link code and the TV redeem it; either
// failing stops the test.
func linkTV(tb testing.TB, ctx context.Context, phone, tv *client.Device) {
	tb.Helper()
	lc, err := phone.Link(ctx)
	if err != nil {
		tb.Fatalf("link: %s", client.Explain(err))
	}
	if _, err := tv.Redeem(ctx, lc.Code); err != nil {
		tb.Fatalf("redeem: %s", client.Explain(err))
	}
}
