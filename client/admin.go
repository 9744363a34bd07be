package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Admin calls a handoff sandbox's admin API (/sandbox/admin/): its clock, its faults
// and its state, for `handoff sandbox …`. Every call returns the typed answer and the
// raw JSON the sandbox sent (for --json). Errors are the package's: *APIError,
// *UnreachableError, *ProtocolError; ExplainAdmin words them.
type Admin struct {
	server string
	token  string
	hc     *http.Client
}

// NewAdmin makes an admin client for the sandbox at server with its admin token
// (LoadAdminToken finds it); hc nil: a client with sane timeouts.
func NewAdmin(server, token string, hc *http.Client) (*Admin, error) {
	base, err := parseServer(server)
	if err != nil {
		return nil, err
	}
	if token == "" {
		return nil, errNoAdminToken
	}
	if hc == nil {
		hc = defaultHTTPClient()
	}
	return &Admin{server: base, token: token, hc: hc}, nil
}

// SandboxClock is the sandbox's time: the real clock plus the offset the admin API
// moved it by. Shifted is what the TUI shows.
type SandboxClock struct {
	Now     time.Time
	Offset  time.Duration
	Shifted bool
}

type clockJSON struct {
	Now          time.Time `json:"now"`
	OffsetMillis int64     `json:"offsetMillis"`
	Shifted      bool      `json:"shifted"`
}

func (c clockJSON) clock() SandboxClock {
	return SandboxClock{Now: c.Now, Offset: time.Duration(c.OffsetMillis) * time.Millisecond, Shifted: c.Shifted}
}

// FaultSpec is a fault to add: `fault add --route 'METHOD PATH' --status CODE
// [--times N | --rate P] [--delay D] [--drop]`.
type FaultSpec struct {
	Route  string        // "POST /api/{sp}/link", PATH as in the spec
	Status int           // 400..599; 0 with Drop or Delay
	Times  int           // fail the next Times calls, then clear; 0: no count
	Rate   float64       // fail each call with this probability; 0: every call
	Delay  time.Duration // wait this long before answering (or dropping)
	Drop   bool          // close the connection without an answer
}

type faultSpecJSON struct {
	Route  string  `json:"route"`
	Status int     `json:"status,omitempty"`
	Times  int     `json:"times,omitempty"`
	Rate   float64 `json:"rate,omitempty"`
	Delay  string  `json:"delay,omitempty"`
	Drop   bool    `json:"drop,omitempty"`
}

// Fault is a live fault as the sandbox lists it.
type Fault struct {
	ID string
	FaultSpec
	Remaining int  // calls left to fail, when Times was given
	Fired     int  // calls failed so far
	Counted   bool // Remaining is meaningful (Times was given)
}

type faultJSON struct {
	ID string `json:"id"`
	faultSpecJSON
	Remaining *int `json:"remaining"`
	Fired     int  `json:"fired"`
}

func (f faultJSON) fault() Fault {
	out := Fault{ID: f.ID, Fired: f.Fired, FaultSpec: FaultSpec{Route: f.Route, Status: f.Status, Times: f.Times, Rate: f.Rate, Drop: f.Drop}}
	out.Delay, _ = time.ParseDuration(f.Delay) // the sandbox writes Go durations
	if f.Remaining != nil {
		out.Remaining, out.Counted = *f.Remaining, true
	}
	return out
}

// SandboxState is what the sandbox holds, in counts (never a code or token).
type SandboxState struct {
	Profiles            int    `json:"profiles"`
	Devices             int    `json:"devices"`
	LinkCodes           int    `json:"linkCodes"` // live
	Clients             int    `json:"clients"`
	AccessTokens        int    `json:"accessTokens"` // live
	MVPDLogins          int    `json:"mvpdLogins"`   // TV provider sign-ins in progress
	MVPDAuthentications int    `json:"mvpdAuthentications"`
	PlatformSubscribers int    `json:"platformSubscribers"`
	Faults              int    `json:"faults"`
	Seeded              bool   `json:"seeded"`
	Data                string `json:"data"` // the store file, or "memory"
	Clock               SandboxClock
}

type stateJSON struct {
	SandboxState
	Clock clockJSON `json:"clock"`
}

// Clock reads the sandbox clock (`handoff sandbox clock`).
func (a *Admin) Clock(ctx context.Context) (SandboxClock, []byte, error) {
	return a.clockCall(ctx, http.MethodGet, "clock", nil)
}

// AdvanceClock moves the sandbox clock forward by d (`clock advance D`).
func (a *Admin) AdvanceClock(ctx context.Context, d time.Duration) (SandboxClock, []byte, error) {
	if d <= 0 {
		return SandboxClock{}, nil, &InputError{Msg: "The clock only advances: give a positive duration such as 10m or 36h (use clock set to go back)."}
	}
	return a.clockCall(ctx, http.MethodPost, "clock/advance", map[string]string{"by": d.String()})
}

// SetClock makes the sandbox clock read t (`clock set RFC3339`).
func (a *Admin) SetClock(ctx context.Context, t time.Time) (SandboxClock, []byte, error) {
	return a.clockCall(ctx, http.MethodPost, "clock/set", map[string]string{"time": t.Format(time.RFC3339Nano)})
}

// ResetClock puts the sandbox clock back on the real one (`clock reset`).
func (a *Admin) ResetClock(ctx context.Context) (SandboxClock, []byte, error) {
	return a.clockCall(ctx, http.MethodPost, "clock/reset", nil)
}

func (a *Admin) clockCall(ctx context.Context, method, path string, body any) (SandboxClock, []byte, error) {
	var c clockJSON
	raw, err := a.call(ctx, method, path, body, &c)
	return c.clock(), raw, err
}

// AddFault adds a fault (`fault add`).
func (a *Admin) AddFault(ctx context.Context, spec FaultSpec) (Fault, []byte, error) {
	body := faultSpecJSON{Route: spec.Route, Status: spec.Status, Times: spec.Times, Rate: spec.Rate, Drop: spec.Drop}
	if spec.Delay > 0 {
		body.Delay = spec.Delay.String()
	}
	var f faultJSON
	raw, err := a.call(ctx, http.MethodPost, "faults", body, &f)
	return f.fault(), raw, err
}

// Faults lists the live faults, first match first (`fault list`).
func (a *Admin) Faults(ctx context.Context) ([]Fault, []byte, error) {
	var out struct {
		Faults []faultJSON `json:"faults"`
	}
	raw, err := a.call(ctx, http.MethodGet, "faults", nil, &out)
	fs := make([]Fault, 0, len(out.Faults))
	for _, f := range out.Faults {
		fs = append(fs, f.fault())
	}
	return fs, raw, err
}

// ClearFaults removes every fault and says how many there were (`fault clear`).
func (a *Admin) ClearFaults(ctx context.Context) (int, []byte, error) {
	var out struct {
		Cleared int `json:"cleared"`
	}
	raw, err := a.call(ctx, http.MethodDelete, "faults", nil, &out)
	return out.Cleared, raw, err
}

// State counts what the sandbox holds (`state [--json]`).
func (a *Admin) State(ctx context.Context) (SandboxState, []byte, error) {
	return a.stateCall(ctx, http.MethodGet, "state")
}

// Reset empties the sandbox's store, keeping its keys, and returns the state after
// (`reset`).
func (a *Admin) Reset(ctx context.Context) (SandboxState, []byte, error) {
	return a.stateCall(ctx, http.MethodPost, "reset")
}

func (a *Admin) stateCall(ctx context.Context, method, path string) (SandboxState, []byte, error) {
	var st stateJSON
	raw, err := a.call(ctx, method, path, nil, &st)
	st.SandboxState.Clock = st.Clock.clock()
	return st.SandboxState, raw, err
}

// call sends one admin request and decodes a 2xx JSON answer into out.
func (a *Admin) call(ctx context.Context, method, path string, body, out any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.server+"/sandbox/admin/"+path, rd)
	if err != nil {
		return nil, &InputError{Msg: fmt.Sprintf("Cannot build a request to %s: check --server.", a.server)}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("User-Agent", defaultUserAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return nil, a.unreachable(ctx, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return nil, a.unreachable(ctx, err)
	}
	trace := resp.Header.Get("X-Request-Id")
	switch {
	case len(raw) > maxResponseBody:
		return nil, &ProtocolError{Server: a.server, HTTPStatus: resp.StatusCode, Trace: trace, Problem: "answer larger than 1 MiB"}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return raw, &adminError{parseAPIError(resp.StatusCode, resp.Header, raw, time.Now())}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return raw, &ProtocolError{Server: a.server, HTTPStatus: resp.StatusCode, Trace: trace, Problem: "body is not the expected JSON: " + err.Error()}
	}
	return raw, nil
}

// unreachable is a call that got no answer, as Client reports one.
func (a *Admin) unreachable(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return fmt.Errorf("client: %w", context.Canceled)
	}
	var ne net.Error
	timeout := errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
	return &UnreachableError{Server: a.server, Timeout: timeout, Err: err}
}

// adminError is a refusal by the admin API: an APIError that ExplainAdmin, not
// Explain, words (its 401 is about the admin token, not an access token).
type adminError struct{ *APIError }

func (e *adminError) Unwrap() error { return e.APIError }

var errNoAdminToken = &InputError{Msg: "The sandbox admin API needs its token: pass --admin-token, set HANDOFF_ADMIN_TOKEN, or run the command as the user who started the sandbox on this machine (it keeps the token in its state directory)."}

// ExplainAdmin turns an error of an Admin call into one line a person can act on.
// The sandbox's own message is included for a refused request: print it through the
// terminal-safe text helper, as everything a server sends.
func ExplainAdmin(err error) string {
	var ae *adminError
	if !errors.As(err, &ae) {
		return Explain(err)
	}
	e := ae.APIError
	switch {
	case e.HTTPStatus == http.StatusUnauthorized:
		return "The sandbox refused the admin token: pass the one it printed on start with --admin-token or HANDOFF_ADMIN_TOKEN."
	case e.HTTPStatus == http.StatusForbidden:
		return "The sandbox's admin API answers only on its own machine: run the command there (or start the sandbox with --lan)."
	case e.HTTPStatus == http.StatusNotFound && strings.Contains(e.Message, "fault"):
		return "There is no such fault: handoff sandbox fault list shows them."
	case e.HTTPStatus == http.StatusNotFound:
		return "This server has no sandbox admin API: point --server at a handoff sandbox (handoff serve)."
	case e.HTTPStatus == http.StatusBadRequest && e.Message != "":
		return "The sandbox refused: " + e.Message + "."
	}
	return Explain(e)
}
