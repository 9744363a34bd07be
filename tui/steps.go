package tui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/client"
)

// op names one step a device runs over the network: an index into steps.
type op int

const (
	opSignIn op = iota
	opRedeem
	opFresh   // EnsureFresh: refresh the service token when it is about to expire
	opRefresh // Refresh, asked for with a key
	opLink
	opList
	opUnlink
	opMVPD     // step 3: sign in with a TV provider
	opProfiles // read the profile's TV provider authentications
	opRoku     // join through the Roku platform identity
	opAuthn    // read the TV provider authentication through the v1 API
	opSignOut  // end the profile's TV provider authentication
	opPublic   // ask where other devices reach the server (the phone page's QR)
	opShowCode // the TV asks for a code to show (second screen)
	opPollCode // the TV asks once whether its code was activated
	opActivate // the phone activates a TV's code and signs in with the TV provider
	opPlay     // the TV asks to play a resource (decisions/authorize)
)

// stepDef is everything about one step: what the screen calls it while it runs, how
// it runs (off the Update loop, on the device's capabilities) and what its answer
// does to the model. A new step is one entry here.
type stepDef struct {
	doing string
	// quiet steps run on their own (polls, refreshes): they do not take the status
	// line while they run, and the HTTP panel hides them unless asked.
	quiet bool
	run   func(ctx context.Context, c caps, r *resultMsg) error
	done  func(m *Model, p *pane, r resultMsg) tea.Cmd
	// failed takes an error the step words in its own place; false hands it to onError.
	failed func(p *pane, err error) bool
}

// steps is the table of every step, indexed by op. It is filled in init because the
// answers start further steps, which read the table.
var steps [opPlay + 1]stepDef

func init() {
	steps = [...]stepDef{
		opSignIn: {doing: "signing in", run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			r.token, err = c.dev.SignIn(ctx, r.arg)
			return err
		}, done: (*Model).signedIn},
		opRedeem: {doing: "joining with the code", run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			r.token, err = c.dev.Redeem(ctx, r.arg)
			return err
		}, done: (*Model).joined},
		opFresh: {doing: "refreshing the token", quiet: true, run: func(ctx context.Context, c caps, _ *resultMsg) error {
			return c.dev.EnsureFresh(ctx, refreshMargin)
		}, done: (*Model).freshened},
		opRefresh: {doing: "refreshing the token", run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			r.token, err = c.dev.Refresh(ctx)
			return err
		}, done: (*Model).refreshed},
		opLink: {doing: "asking for a link code", run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			// Asked each time, so that a sandbox restarted with --lan is seen at the next code.
			r.public = publicOf(ctx, c)
			if r.code, err = c.dev.Link(ctx); err == nil && r.code == nil {
				err = errEmptyAnswer
			}
			return err
		}, done: (*Model).gotCode},
		opList: {doing: "listing devices", quiet: true, run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			if r.list, err = c.dev.Devices(ctx); err == nil && r.list == nil {
				err = errEmptyAnswer
			}
			return err
		}, done: (*Model).listed},
		opUnlink: {doing: "unlinking", run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			if r.unlinked, err = c.dev.Unlink(ctx, r.keys...); err == nil && r.unlinked == nil {
				err = errEmptyAnswer
			}
			return err
		}, done: (*Model).unlinkedSome},
		opMVPD: {doing: "signing in with the TV provider", run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			if r.login, err = c.provider.MVPDSignIn(ctx, r.arg, r.keys[0]); err == nil && r.login == nil {
				err = errEmptyAnswer
			}
			return err
		}, done: (*Model).providerSignedIn},
		opProfiles: {doing: "reading the TV provider sign-in", quiet: true, run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			r.profiles, err = c.provider.Profiles(ctx)
			return err
		}, done: (*Model).gotProfiles, failed: profilesFailed},
		opRoku: {doing: "signing in with Roku", run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			r.token, err = c.platform.RokuSignIn(ctx, r.arg)
			return err
		}, done: (*Model).joined},
		opAuthn: {doing: "reading the v1 authentication", quiet: true, run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			r.authn, err = c.legacy.Authn(ctx, false)
			return err
		}, done: (*Model).gotAuthn, failed: authnFailed},
		opSignOut: {doing: "signing out of the TV provider", run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			r.logout, err = c.provider.SignOut(ctx)
			return err
		}, done: (*Model).providerSignedOut},
		opPublic: {doing: "asking where phones reach the server", run: func(ctx context.Context, c caps, r *resultMsg) error {
			r.public = publicOf(ctx, c)
			return nil
		}, done: (*Model).gotPublic},
		opShowCode: {doing: "asking for a code to show", run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			if r.tvCode, err = c.second.ShowCode(ctx, r.arg == "legacy", ""); err == nil && r.tvCode == nil {
				err = errEmptyAnswer
			}
			return err
		}, done: (*Model).gotTVCode},
		opPollCode: {doing: "asking whether the code was activated", quiet: true, run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			r.codeSignIn, err = c.second.PollCodeSignIn(ctx, r.tvCode)
			return err
		}, done: (*Model).polledTVCode, failed: pollFailed},
		opActivate: {doing: "activating the TV's code", run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			if r.login, err = c.second.ActivateCode(ctx, r.arg, r.keys[0], r.keys[1]); err == nil && r.login == nil {
				err = errEmptyAnswer
			}
			return err
		}, done: (*Model).activated},
		opPlay: {doing: "asking to play", run: func(ctx context.Context, c caps, r *resultMsg) (err error) {
			if r.decision, err = c.second.Authorize(ctx, r.arg); err == nil && r.decision == nil {
				err = errEmptyAnswer
			}
			return err
		}, done: (*Model).decided, failed: playFailed},
	}
}

func (o op) doing() string { return steps[o].doing }

// caps is a device and the optional steps it has, found once when its pane is made:
// a nil capability means the step does not show for that device.
type caps struct {
	dev      Device
	provider ProviderDevice
	legacy   LegacyDevice
	platform PlatformDevice
	public   PublicDevice
	second   SecondScreenDevice
}

func capsOf(d Device) caps {
	c := caps{dev: d}
	c.provider, _ = d.(ProviderDevice)
	c.legacy, _ = d.(LegacyDevice)
	c.platform, _ = d.(PlatformDevice)
	c.public, _ = d.(PublicDevice)
	c.second, _ = d.(SecondScreenDevice)
	return c
}

// publicOf is where other devices reach the device's server: what the server says,
// else the address this device calls (a server without GET /sandbox/info, or one that
// could not be asked just now).
func publicOf(ctx context.Context, c caps) client.PublicServer {
	if c.public != nil {
		if ps, err := c.public.PublicServer(ctx); err == nil && ps.URL != "" {
			return ps
		}
	}
	server := c.dev.State().Server
	return client.PublicServer{URL: server, Loopback: client.IsLoopbackURL(server)}
}

// runStep returns the command that runs one step of device dev. It only reads the
// device and returns what happened; the model changes in Update.
// req is the step and what it runs with (dev, op, arg, keys, and a TV code to poll).
func runStep(c caps, req resultMsg) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
		defer cancel()
		msg := req
		msg.err = steps[msg.op].run(ctx, c, &msg)
		msg.state = c.dev.State()
		return msg
	}
}

// errEmptyAnswer is a step that brought back neither an answer nor an error; the
// screen says something unexpected happened instead of crashing on it.
var errEmptyAnswer = errors.New("tui: the device step returned no answer and no error")

// profilesFailed words a failed read of the TV provider sign-ins where they show:
// they are read on every poll, so the status line is not theirs.
func profilesFailed(p *pane, err error) bool {
	if p.state.Unlinked || client.IsUnlinked(err) {
		return false
	}
	p.providerNote = client.Explain(err)
	return true
}

func authnFailed(p *pane, err error) bool {
	p.authn = nil
	switch {
	case client.IsNoAuthentication(err):
		p.authnNote = "none for this device (HTTP 404)"
	case client.IsAuthenticationExpired(err):
		p.authnNote = "expired (HTTP 410)"
	default:
		p.authnNote = client.Explain(err)
	}
	return true
}
