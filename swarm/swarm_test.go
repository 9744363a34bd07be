package swarm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/sandbox"
	"github.com/handoff-sso/handoff/sandboxtest"
)

func run(t *testing.T, opts Options) Report {
	t.Helper()
	r, err := Run(context.Background(), opts, &bytes.Buffer{}, false)
	if err != nil {
		t.Fatalf("swarm: %v", err)
	}
	return r
}

func call(t *testing.T, r Report, route string) CallReport {
	t.Helper()
	for _, c := range r.Calls {
		if c.Call == route {
			return c
		}
	}
	t.Fatalf("no call %q in the report: %+v", route, r.Calls)
	return CallReport{}
}

func step(r Report, name string) StepReport {
	for _, s := range r.Steps {
		if s.Step == name {
			return s
		}
	}
	return StepReport{}
}

// Every TV joins, is in its profile's list, and unlinks; each HTTP call is counted
// once, and its percentiles are ordered.
func TestSwarmEveryTVJoinsAndUnlinks(t *testing.T) {
	for _, store := range []string{"memory", "bbolt"} {
		t.Run(store, func(t *testing.T) { testEveryTVJoinsAndUnlinks(t, startSandbox(t, store)) })
	}
}

// startSandbox serves a sandbox on the named store driver.
func startSandbox(tb testing.TB, store string) *sandboxtest.Sandbox {
	tb.Helper()
	switch store {
	case "memory":
		return sandboxtest.New(tb)
	case "bbolt":
		return sandboxtest.New(tb, sandboxtest.WithConfig(sandbox.Config{DataDir: tb.TempDir()}))
	}
	tb.Fatalf("no store driver %q", store)
	return nil
}

func testEveryTVJoinsAndUnlinks(t *testing.T, sb *sandboxtest.Sandbox) {
	const n = 50
	r := run(t, Options{Server: sb.URL, TVs: n, Concurrency: 16})
	if !r.Clean() || r.Started != n || r.Joined != n || r.Listed != n || r.Unlinked != n || r.Failed != 0 {
		t.Fatalf("report: %+v", r)
	}
	// Per pair: the phone and the TV register and take an access token, the phone
	// signs in and makes the code, the TV redeems it and lists once, both unlink;
	// the software statement is fetched once for all.
	want := map[string]int64{
		"GET /sandbox/software-statement": 1,
		"POST /o/client/register":         2 * n,
		"POST /o/client/token":            2 * n,
		"POST /api/{sp}/serviceToken":     2 * n,
		"POST /api/{sp}/link":             n,
		"GET /api/{sp}/list":              n,
		"POST /api/{sp}/unlink":           2 * n,
	}
	var total int64
	for route, count := range want {
		c := call(t, r, route)
		if c.Count != count {
			t.Errorf("%s: %d calls, want %d", route, c.Count, count)
		}
		for status := range c.Statuses {
			if !strings.HasPrefix(status, "2") {
				t.Errorf("%s: status %s: %v", route, status, c.Statuses)
			}
		}
		if !(0 < c.P50Ms && c.P50Ms <= c.P90Ms && c.P90Ms <= c.P99Ms && c.P99Ms <= c.MaxMs) {
			t.Errorf("%s: percentiles out of order: %+v", route, c)
		}
		total += count
	}
	if len(r.Calls) != len(want) || r.Requests != total || r.RequestsPerSecond <= 0 {
		t.Errorf("calls %v, requests %d (want %d), %.1f/s", r.Calls, r.Requests, total, r.RequestsPerSecond)
	}
	for _, s := range r.Steps {
		if s.Failed != 0 {
			t.Errorf("step %s failed %d times", s.Step, s.Failed)
		}
	}
	if s := step(r, stepUnlink); s.OK != 2*n {
		t.Errorf("unlink steps %+v, want %d", s, 2*n)
	}
	// The server agrees: n profiles made, and no device left in them.
	if st := sb.State(); st.Profiles < n || st.Devices != 0 {
		t.Errorf("sandbox holds %d profiles and %d devices after the run", st.Profiles, st.Devices)
	}
}

// During Duration the TVs list and refresh; the steps the TVs counted are the calls
// the server answered.
func TestSwarmListsAndRefreshesForTheDuration(t *testing.T) {
	sb := sandboxtest.New(t)
	r := run(t, Options{Server: sb.URL, TVs: 10, Duration: 300 * time.Millisecond, Interval: 20 * time.Millisecond})
	if !r.Clean() {
		t.Fatalf("report: %+v", r)
	}
	list, refresh := step(r, stepList), step(r, stepRefresh)
	if refresh.OK < 10 || list.OK < 20 {
		t.Errorf("in 300ms at 20ms apart, 10 TVs listed %d and refreshed %d times", list.OK, refresh.OK)
	}
	if c := call(t, r, "GET /api/{sp}/list"); c.Count != list.OK+list.Failed {
		t.Errorf("%d list calls for %d list steps", c.Count, list.OK+list.Failed)
	}
	if c := call(t, r, "GET /api/{sp}/serviceToken"); c.Count != refresh.OK+refresh.Failed {
		t.Errorf("%d refresh calls for %d refresh steps", c.Count, refresh.OK+refresh.Failed)
	}
}

// A fault injected on the sandbox shows in the report by its API code and status,
// and a dropped connection as a network error.
func TestSwarmCountsErrorsByAPICode(t *testing.T) {
	sb := sandboxtest.New(t)
	sb.AddFault(sandbox.FaultSpec{Route: "GET /api/{sp}/list", Status: 503, Times: 5})
	sb.AddFault(sandbox.FaultSpec{Route: "POST /api/{sp}/link", Drop: true, Times: 3})
	r := run(t, Options{Server: sb.URL, TVs: 30, Concurrency: 8})
	errs := map[string]ErrorReport{}
	for _, e := range r.Errors {
		errs[e.Step+" "+e.Code] = e
	}
	if e := errs["list service_unavailable"]; e.Count != 5 || e.HTTPStatus != 503 {
		t.Errorf("list errors: %+v (all: %+v)", e, r.Errors)
	}
	if e := errs["link network"]; e.Count != 3 || e.HTTPStatus != 0 {
		t.Errorf("link errors: %+v (all: %+v)", e, r.Errors)
	}
	if len(r.Errors) != 2 {
		t.Errorf("errors: %+v", r.Errors)
	}
	if c := call(t, r, "GET /api/{sp}/list"); c.Statuses["503"] != 5 {
		t.Errorf("list statuses %v", c.Statuses)
	}
	if c := call(t, r, "POST /api/{sp}/link"); c.Statuses[networkStatus] != 3 {
		t.Errorf("link statuses %v", c.Statuses)
	}
	// The three whose code never came stop; the five whose only list failed are not
	// listed but unlink.
	if r.Failed != 3 || r.Joined != 27 || r.Listed != 22 || r.Unlinked != 27 || r.Clean() {
		t.Errorf("report: %+v", r)
	}
}

// Cancelling the run stops every TV at once, and nothing of the run is left running.
func TestSwarmStopsOnCancel(t *testing.T) {
	sb := sandboxtest.New(t)
	before := runtime.NumGoroutine()
	s, err := New(Options{Server: sb.URL, TVs: 200, Duration: time.Minute, Interval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan Report)
	go func() {
		r, err := s.Run(ctx)
		if err != nil {
			t.Errorf("run: %v", err)
		}
		done <- r
	}()
	for s.Progress().Listed < 50 {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	var r Report
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the run did not stop within 10s of the cancel")
	}
	if !r.Interrupted || r.Unlinked != 0 || r.Failed != 0 || r.Listed < 50 {
		t.Errorf("report: %+v", r)
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines before the run, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The report goes out as JSON with the fields its documentation names, and the
// progress of a run that is not on a terminal is plain lines.
func TestSwarmReportJSONAndPlainProgress(t *testing.T) {
	sb := sandboxtest.New(t)
	var progress bytes.Buffer
	r, err := Run(context.Background(), Options{Server: sb.URL, TVs: 5}, &progress, false)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		TVs      int `json:"tvs"`
		Unlinked int `json:"unlinked"`
		Calls    []struct {
			Call  string  `json:"call"`
			Count int     `json:"count"`
			P99   float64 `json:"p99Ms"`
		} `json:"calls"`
		Errors []any `json:"errors"`
	}
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if back.TVs != 5 || back.Unlinked != 5 || len(back.Calls) == 0 || back.Calls[0].P99 <= 0 || back.Errors == nil {
		t.Errorf("JSON report: %s", raw)
	}
	if !strings.Contains(progress.String(), "5 unlinked") || strings.Contains(progress.String(), "\x1b") {
		t.Errorf("plain progress: %q", progress.String())
	}
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "POST /api/{sp}/link") || !strings.Contains(text.String(), "no errors") {
		t.Errorf("text report:\n%s", text.String())
	}
}

// A server that offers no software statement, or none at all, stops the run before
// any TV starts, with the error that says what to do.
func TestSwarmStopsAtOnceWithoutAServer(t *testing.T) {
	sb := sandboxtest.New(t, sandboxtest.WithConfig(sandbox.Config{NoOpenRegistration: true}))
	r, err := Run(context.Background(), Options{Server: sb.URL, TVs: 100}, &bytes.Buffer{}, false)
	var nss *client.NoSoftwareStatementError
	if !errors.As(err, &nss) || r.Started != 0 {
		t.Errorf("no statement: %v, %d started", err, r.Started)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r, err = Run(context.Background(), Options{Server: "http://" + addr, TVs: 100}, &bytes.Buffer{}, false)
	var ue *client.UnreachableError
	if !errors.As(err, &ue) || r.Started != 0 {
		t.Errorf("no server: %v, %d started", err, r.Started)
	}
	if _, err := New(Options{Server: sb.URL, TVs: 0}); !client.IsBadInput(err) {
		t.Errorf("0 TVs: %v", err)
	}
}

// A software statement given (as a real server needs) is the one every device
// registers with: the sandbox's is not fetched.
func TestSwarmRegistersWithTheStatementGiven(t *testing.T) {
	sb := sandboxtest.New(t)
	c, err := client.New(sb.URL, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	statement, err := c.FetchSoftwareStatement(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, Options{Server: sb.URL, TVs: 3, SoftwareStatement: []byte(statement)})
	if !r.Clean() || call(t, r, "POST /o/client/register").Count != 6 {
		t.Fatalf("report: %+v", r)
	}
	for _, c := range r.Calls {
		if c.Call == "GET /sandbox/software-statement" {
			t.Errorf("the sandbox's statement was fetched: %+v", c)
		}
	}
	_, err = Run(context.Background(), Options{Server: sb.URL, TVs: 3, SoftwareStatement: []byte("not a jwt")}, &bytes.Buffer{}, false)
	if !client.IsBadInput(err) {
		t.Errorf("a statement that is not a JWT: %v", err)
	}
}

// A rate of new TVs spaces their start; one too high to space is all at once.
func TestSwarmRate(t *testing.T) {
	sb := sandboxtest.New(t)
	r := run(t, Options{Server: sb.URL, TVs: 6, Rate: 20})
	if !r.Clean() || r.ElapsedSeconds < 0.25 {
		t.Errorf("6 TVs at 20 a second took %.2fs: %+v", r.ElapsedSeconds, r)
	}
	if r := run(t, Options{Server: sb.URL, TVs: 3, Rate: 1e12}); !r.Clean() {
		t.Errorf("report: %+v", r)
	}
	if _, err := New(Options{Server: sb.URL, TVs: 1, Rate: math.NaN()}); !client.IsBadInput(err) {
		t.Errorf("rate NaN: %v", err)
	}
}
