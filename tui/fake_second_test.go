package tui

import (
	"context"
	"net/http"
	"time"

	"github.com/handoff-sso/handoff/client"
)

// The fake's second-screen steps: codes a TV shows, activated by any fake that shares
// the providers, as the sandbox does.

// fakeTVCode is the code the fake TV shows: letters and digits, as the sandbox's are.
const fakeTVCode = "K7M2PQ9"

// PublicServer leaves the next step's error to the step a test aims at: the TUI asks
// for the address before the link code, and gets by without it.
func (f *fakeDevice) PublicServer(context.Context) (client.PublicServer, error) {
	f.mu.Lock()
	f.calls = append(f.calls, "PublicServer")
	f.mu.Unlock()
	f.providers.mu.Lock()
	defer f.providers.mu.Unlock()
	if f.providers.public.URL != "" {
		return f.providers.public, nil
	}
	return client.PublicServer{URL: f.st.Server, Loopback: true, Offered: true}, nil
}

func (f *fakeDevice) ShowCode(_ context.Context, legacy bool, _ string) (*client.TVCode, error) {
	if err := f.step("ShowCode"); err != nil {
		return nil, err
	}
	return &client.TVCode{Code: fakeTVCode, Legacy: legacy, ServiceProvider: "demo",
		ActivationURL:     f.st.Server + "/sandbox/activate",
		ActivationPageURL: f.st.Server + "/sandbox/activate?code=" + fakeTVCode,
		NotBefore:         client.Millis(fixedNow.UnixMilli()),
		NotAfter:          client.Millis(fixedNow.Add(10 * time.Minute).UnixMilli())}, nil
}

func (f *fakeDevice) PollCodeSignIn(_ context.Context, code *client.TVCode) (*client.CodeSignIn, error) {
	if err := f.step("PollCodeSignIn " + code.Code); err != nil {
		return nil, err
	}
	f.providers.mu.Lock()
	defer f.providers.mu.Unlock()
	return f.providers.activated[code.Code], nil
}

func (f *fakeDevice) ActivateCode(_ context.Context, code, mvpd, user string) (*client.MVPDLogin, error) {
	if err := f.step("ActivateCode " + code + " " + mvpd + " " + user); err != nil {
		return nil, err
	}
	until := client.Millis(fixedNow.Add(30 * 24 * time.Hour).UnixMilli())
	f.providers.mu.Lock()
	defer f.providers.mu.Unlock()
	if code != fakeTVCode {
		return nil, &client.TVCodeError{Refusal: &client.APIError{HTTPStatus: http.StatusNotFound, Code: "invalid_parameter_code"}}
	}
	if f.providers.activated == nil {
		f.providers.activated = map[string]*client.CodeSignIn{}
	}
	f.providers.activated[code] = &client.CodeSignIn{MVPD: mvpd, UserID: user, NotAfter: until}
	return &client.MVPDLogin{Status: "OK", MVPD: mvpd, UserID: user, NotAfter: until}, nil
}

// Authorize permits any resource to a TV that a second screen signed in or whose
// profile has a TV provider, except denied-sports, as the sandbox's MVPD does.
func (f *fakeDevice) Authorize(_ context.Context, resource string) (*client.Decision, error) {
	if err := f.step("Authorize " + resource); err != nil {
		return nil, err
	}
	f.providers.mu.Lock()
	defer f.providers.mu.Unlock()
	mvpd := ""
	for id := range f.providers.profiles {
		mvpd = id
	}
	if a := f.providers.activated[fakeTVCode]; a != nil {
		mvpd = a.MVPD
	}
	if mvpd == "" {
		return nil, &client.APIError{HTTPStatus: http.StatusForbidden, Code: "authenticated_profile_missing"}
	}
	if resource == "denied-sports" {
		return &client.Decision{Resource: resource, MVPD: mvpd, Error: &client.DecisionError{Status: 403, Code: "authorization_denied_by_mvpd", Message: "Not in the package"}}, nil
	}
	return &client.Decision{Resource: resource, MVPD: mvpd, Authorized: true,
		Token: &client.MediaToken{NotAfter: client.Millis(fixedNow.Add(7 * time.Minute).UnixMilli()), SerializedToken: "opaque"}}, nil
}
