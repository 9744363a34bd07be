package integration

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/integration/redisserver"
	"github.com/handoff-sso/handoff/keystore"
)

// A team sandbox: three `handoff serve` processes (the built binary) on one Redis,
// behind a reverse proxy in the test that spreads requests over them round robin, or
// sends them all to one (pin).

type serveProc struct {
	cmd  *exec.Cmd
	base string
	done chan struct{}
}

type cluster struct {
	t     testing.TB
	bin   string
	redis *redisserver.Server
	proxy *httptest.Server

	mu    sync.Mutex
	procs []*serveProc
	next  atomic.Uint32
	pin   atomic.Int32 // -1: round robin
	last  atomic.Int32 // the instance that served the last request
}

func startCluster(t testing.TB, durable bool) *cluster { return startClusterOf(t, 3, durable) }

// startClusterOf starts n instances (TestRedisCluster*: three).
func startClusterOf(t testing.TB, n int, durable bool) *cluster {
	c := &cluster{t: t, redis: redisserver.Start(t, durable), bin: buildHandoff(t)}
	c.pin.Store(-1)
	c.procs = make([]*serveProc, n)
	for i := range c.procs {
		c.procs[i] = c.serve()
	}
	c.proxy = httptest.NewServer(http.HandlerFunc(c.route))
	t.Cleanup(func() {
		c.proxy.Close()
		for _, p := range c.procs {
			p.stop()
		}
	})
	return c
}

// serve starts one instance on a free port; it is stopped by PID at the end.
func (c *cluster) serve() *serveProc {
	c.t.Helper()
	home := c.t.TempDir()
	cmd := exec.Command(c.bin, "serve", "--store", c.redis.URL(0), "--addr", "127.0.0.1:0", "--admin-token", "cluster-admin-token")
	cmd.Env = []string{"HOME=" + home, "XDG_STATE_HOME=" + home, "PATH=/usr/bin:/bin"}
	out, err := cmd.StdoutPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	p := &serveProc{cmd: cmd, done: make(chan struct{})}
	lines := bufio.NewScanner(out)
	if lines.Scan() {
		p.base, _ = strings.CutPrefix(lines.Text(), "handoff sandbox serving on ")
	}
	go func() {
		for lines.Scan() { // drain, so the instance never blocks on its stdout
		}
		_ = cmd.Wait()
		close(p.done)
	}()
	if !strings.HasPrefix(p.base, "http://127.0.0.1:") {
		p.kill9()
		c.t.Fatalf("handoff serve --store %s did not start (first line %q)", c.redis.URL(0), p.base)
	}
	return p
}

func (p *serveProc) kill9() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

func (p *serveProc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.kill9()
	}
}

// route passes a request to the pinned instance, or to the next live one, as a proxy
// that health-checks would: a request in flight when its instance dies fails (502).
func (c *cluster) route(w http.ResponseWriter, r *http.Request) {
	i := int(c.pin.Load())
	c.mu.Lock()
	if i < 0 {
		for range c.procs {
			if i = int(c.next.Add(1) % uint32(len(c.procs))); c.procs[i].alive() {
				break
			}
		}
	}
	p := c.procs[i]
	c.mu.Unlock()
	target, _ := url.Parse(p.base)
	c.last.Store(int32(i))
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	proxy.ServeHTTP(w, r)
}

func (p *serveProc) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

func (c *cluster) device(name string, store keystore.Store, role assets.Role) *client.Device {
	return openDevice(c.t, client.DeviceConfig{Name: name, Server: c.proxy.URL, Store: store, Role: role, HTTPClient: &http.Client{Timeout: 20 * time.Second}})
}

// TestRedisClusterRedeemOnce: 200 TVs redeem one code at once, through three
// instances: exactly one joins.
func TestRedisClusterRedeemOnce(t *testing.T) {
	ctx := context.Background()
	c := startCluster(t, false)
	store := keystore.NewMemory()
	phone := c.device("phone", store, assets.RolePrimary)
	if _, err := phone.SignIn(ctx, "alice@example.com"); err != nil {
		t.Fatalf("sign-in: %s", client.Explain(err))
	}
	lc, err := phone.Link(ctx)
	if err != nil {
		t.Fatalf("link: %s", client.Explain(err))
	}
	tvs := make([]*client.Device, 200)
	for i := range tvs {
		tvs[i] = c.device(fmt.Sprintf("tv%d", i), store, assets.RoleSecondary)
	}
	var joined, rejected, wrongCode atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, tv := range tvs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := tv.Redeem(ctx, lc.Code)
			switch {
			case err == nil:
				joined.Add(1)
			case client.IsRefused(err):
				rejected.Add(1)
				if client.IsCodeRejected(err) {
					wrongCode.Add(1) // evaluated, not held back by the limiter (429)
				}
			default:
				t.Errorf("a redemption failed other than by refusal: %s", client.Explain(err))
			}
		}()
	}
	close(start)
	wg.Wait()
	t.Logf("1 joined; of the 199 refused, %d were evaluated (the code spent) and %d held back by the shared limiter", wrongCode.Load(), rejected.Load()-wrongCode.Load())
	if joined.Load() != 1 || rejected.Load() != 199 {
		t.Fatalf("%d TVs joined and %d were refused, want 1 and 199", joined.Load(), rejected.Load())
	}
	list, err := phone.Devices(ctx)
	if err != nil || len(list.Devices) != 2 {
		t.Fatalf("the profile holds %d devices (%v), want the phone and one TV", len(list.Devices), err)
	}
}

// TestRedisClusterUnlink: a TV unlinked through instance A is refused at once by B
// and by C.
func TestRedisClusterUnlink(t *testing.T) {
	ctx := context.Background()
	c := startCluster(t, false)
	store := keystore.NewMemory()
	phone, tv := c.device("phone", store, assets.RolePrimary), c.device("tv", store, assets.RoleSecondary)
	if _, err := phone.SignIn(ctx, "bob@example.com"); err != nil {
		t.Fatalf("sign-in: %s", client.Explain(err))
	}
	linkTV(t, ctx, phone, tv)
	for i := range 3 { // every instance serves the TV before the unlink
		c.pin.Store(int32(i))
		if _, err := tv.Devices(ctx); err != nil {
			t.Fatalf("instance %d: the TV's list: %s", i, client.Explain(err))
		}
	}
	c.pin.Store(0)
	if _, err := phone.Unlink(ctx, tv.State().Key); err != nil {
		t.Fatalf("unlink on A: %s", client.Explain(err))
	}
	for i, call := range map[int]func() error{
		1: func() error { _, err := tv.Devices(ctx); return err },
		2: func() error { _, err := tv.Refresh(ctx); return err },
	} {
		c.pin.Store(int32(i))
		if err := call(); !client.IsUnlinked(err) || c.last.Load() != int32(i) {
			t.Errorf("instance %d after the unlink on A: %v (served by %d), want unlinked", i, err, c.last.Load())
		}
	}
}

// TestRedisClusterKillAndRestart: TVs join through all three instances while one is
// killed with SIGKILL; every TV that got a 2xx is in its profile, and still is after
// Redis itself is killed and restarted (append-only file, fsync per write) and all
// three instances are replaced.
func TestRedisClusterKillAndRestart(t *testing.T) {
	ctx := context.Background()
	c := startCluster(t, true)
	store := keystore.NewMemory()
	const workers, rounds = 12, 10
	phones := make([]*client.Device, workers)
	for i := range phones {
		phones[i] = c.device(fmt.Sprintf("phone%d", i), store, assets.RolePrimary)
		if _, err := phones[i].SignIn(ctx, fmt.Sprintf("user%d@example.com", i)); err != nil {
			t.Fatalf("sign-in: %s", client.Explain(err))
		}
	}
	joined := make([][]*client.Device, workers) // the TVs whose redemption answered 2xx
	var failed atomic.Int32
	var wg sync.WaitGroup
	var progress atomic.Int32
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				progress.Add(1)
				lc, err := phones[w].Link(ctx)
				if err != nil {
					failed.Add(1)
					continue
				}
				tv := c.device(fmt.Sprintf("tv%d-%d", w, r), store, assets.RoleSecondary)
				if _, err := tv.Redeem(ctx, lc.Code); err != nil {
					failed.Add(1)
					continue
				}
				joined[w] = append(joined[w], tv)
			}
		}()
	}
	for progress.Load() < workers*rounds/3 {
		time.Sleep(5 * time.Millisecond)
	}
	c.procs[1].kill9() // B dies mid-load
	wg.Wait()
	total := 0
	for _, tvs := range joined {
		total += len(tvs)
	}
	t.Logf("%d TVs joined, %d steps failed (in flight on the killed instance)", total, failed.Load())
	if total < workers*rounds*3/4 {
		t.Fatalf("only %d of %d joins succeeded", total, workers*rounds)
	}
	c.checkJoined(ctx, phones, joined)

	c.redis.Kill9()
	c.redis.Restart()
	c.mu.Lock()
	for i, p := range c.procs {
		p.stop()
		c.procs[i] = c.serve()
	}
	c.mu.Unlock()
	c.checkJoined(ctx, phones, joined)
	for _, tvs := range joined { // their service tokens verify: the keys survived too
		if len(tvs) > 0 {
			if _, err := tvs[0].Devices(ctx); err != nil {
				t.Errorf("a TV after the restart: %s", client.Explain(err))
			}
		}
	}
}

// checkJoined asks, through every instance, each phone's device list for every TV
// that joined it.
func (c *cluster) checkJoined(ctx context.Context, phones []*client.Device, joined [][]*client.Device) {
	c.t.Helper()
	defer c.pin.Store(-1)
	for i := range 3 {
		if !c.procs[i].alive() {
			continue // the killed instance, before the restart
		}
		c.pin.Store(int32(i))
		for w, phone := range phones {
			list, err := phone.Devices(ctx)
			if err != nil {
				c.t.Fatalf("instance %d: phone %d's list: %s", i, w, client.Explain(err))
			}
			for _, tv := range joined[w] {
				if _, ok := list.Devices[tv.State().Key]; !ok {
					c.t.Errorf("instance %d: a TV that joined phone %d (2xx) is missing", i, w)
				}
			}
		}
	}
}

// admin calls the admin API of instance i.
func (c *cluster) admin(i int, method, path, body string) map[string]any {
	c.t.Helper()
	c.mu.Lock()
	base := c.procs[i].base
	c.mu.Unlock()
	req, _ := http.NewRequest(method, base+"/sandbox/admin/"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer cluster-admin-token")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		c.t.Fatalf("%s %s on instance %d: %d %v", method, path, i, resp.StatusCode, err)
	}
	return out
}

// TestRedisClusterClock: the admin clock is one for all instances: advanced on A
// past a code's life, the code is expired on B; reset on C, A reads the real time.
func TestRedisClusterClock(t *testing.T) {
	ctx := context.Background()
	c := startCluster(t, false)
	store := keystore.NewMemory()
	phone, tv := c.device("phone", store, assets.RolePrimary), c.device("tv", store, assets.RoleSecondary)
	if _, err := phone.SignIn(ctx, "carol@example.com"); err != nil {
		t.Fatalf("sign-in: %s", client.Explain(err))
	}
	c.pin.Store(0)
	lc, err := phone.Link(ctx)
	if err != nil {
		t.Fatalf("link: %s", client.Explain(err))
	}
	c.admin(0, http.MethodPost, "clock/advance", `{"by":"11m"}`)
	c.pin.Store(1)
	if _, err := tv.Redeem(ctx, lc.Code); !client.IsCodeRejected(err) || c.last.Load() != 1 {
		t.Errorf("B redeemed a code A's clock expired: %v", err)
	}
	if got := c.admin(2, http.MethodGet, "clock", "")["offset"]; got != "11m0s" {
		t.Errorf("C's clock offset %v, want 11m0s", got)
	}
	c.admin(2, http.MethodPost, "clock/reset", "")
	if got := c.admin(0, http.MethodGet, "clock", "")["offset"]; got != "0s" {
		t.Errorf("A's clock offset after a reset on C: %v, want 0s", got)
	}
}
