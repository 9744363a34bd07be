package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// tvcodeFlags are the flags of handoff tvcode.
type tvcodeFlags struct {
	legacy, wait, qr bool
	mvpd             string
}

// signedInAnswer is what tvcode --wait prints once the second screen has signed in,
// as its second JSON line.
type signedInAnswer struct {
	Status string `json:"status"`
	*client.CodeSignIn
}

func (a *app) tvcodeCommand() *cobra.Command {
	var f tvcodeFlags
	cmd := &cobra.Command{
		Use:   "tvcode",
		Short: "the TV shows a code for a second screen to sign in with (the other direction)",
		Long: `The direction most TV apps use, beside the seed's: the TV, holding nothing, asks for a code (a REST API v2 session; with --legacy a v1 registration code) and shows it with the activation page. On a second screen, a browser opens that page, or 'handoff activate CODE --mvpd ID --user ID' plays it, and signs in with the TV provider; the TV then holds that authentication (see docs/second-screen.md).

With --wait it then polls until the sign-in is done, says who signed in with which provider and exits 0; it exits 1 when the code expires first (or when --timeout, if given, runs out). With --json it prints two JSON lines: the code when it has it, then the sign-in (or the error).`,
		Example: "handoff tvcode --qr\nhandoff tvcode --wait\nhandoff tvcode --legacy --mvpd Cox --json",
		Args:    noArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return a.runTVCode(cmd, f) },
	}
	cmd.Flags().BoolVar(&f.legacy, "legacy", false, "ask for a legacy v1 registration code (regcode) instead of a REST v2 session code")
	cmd.Flags().BoolVar(&f.wait, "wait", false, "wait until a second screen signs in with the code (or it expires)")
	cmd.Flags().BoolVar(&f.qr, "qr", false, "also draw the QR code of the activation page in the terminal")
	cmd.Flags().StringVar(&f.mvpd, "mvpd", "", "the TV provider to preselect on the activation page: "+assets.MVPDIDs())
	_ = cmd.RegisterFlagCompletionFunc("mvpd", completeMVPDs)
	return cmd
}

func (a *app) runTVCode(cmd *cobra.Command, f tvcodeFlags) error {
	s := a.step(cmd, "tv")
	if f.mvpd != "" {
		if _, ok := assets.LookupMVPD(f.mvpd); !ok {
			return s.fail(usagef("unknown TV provider %q; choose one of %s", f.mvpd, assets.MVPDIDs()))
		}
	}
	d, err := s.open(assets.RoleSecondary)
	if err != nil {
		return s.fail(err)
	}
	ctx, cancel := s.context()
	defer cancel()
	code, err := d.ShowCode(ctx, f.legacy, f.mvpd)
	if err != nil {
		return s.fail(err)
	}
	var qr string
	if f.qr {
		if qr, err = terminalQR(code.ActivationPageURL); err != nil {
			return s.fail(&client.ProtocolError{Problem: "the activation page's URL does not fit in a QR code"})
		}
		if s.out().json {
			fmt.Fprint(a.e.stderr, qr)
		}
	}
	// The code's lifetime counts from now on this computer: the sandbox clock may
	// be shifted (handoff sandbox clock), and the code's times are on it.
	expires := time.Now().Add(code.NotAfter.Time().Sub(code.NotBefore.Time()))
	err = s.ok(nil, code, func(w io.Writer) {
		kind := "Code"
		if code.Legacy {
			kind = "Registration code (legacy v1)"
		}
		shown := present.Safe(code.Code)
		fmt.Fprintf(w, "%s from %s, valid until %s:\n\n", kind, s.device(), present.Until(time.Now(), expires))
		fmt.Fprintln(w, present.BigDigits(code.Code, false))
		fmt.Fprintf(w, "\n%s   on a second screen: open %s and type it in\n", shown, present.Safe(code.ActivationURL))
		if qr != "" {
			fmt.Fprint(w, "\n"+qr)
		}
		fmt.Fprintf(w, "or: handoff activate %s --mvpd ID --user USER\n", shown)
	})
	if err != nil || !f.wait {
		return err
	}
	deadline := expires
	if cmd.Flags().Changed("timeout") || a.e.getenv("HANDOFF_TIMEOUT") != "" {
		deadline = minTime(deadline, time.Now().Add(a.sf.timeout))
	}
	return s.waitForCodeSignIn(d, code, expires, deadline)
}

// waitForCodeSignIn polls until the second screen has signed in with code, until
// deadline (at most the code's expiry), or until it is interrupted.
func (s *step) waitForCodeSignIn(d *client.Device, code *client.TVCode, expires, deadline time.Time) error {
	var signIn *client.CodeSignIn
	err := s.pollUntil(deadline, "waiting for a second screen to sign in…", func(ctx context.Context) (bool, error) {
		var err error
		signIn, err = d.PollCodeSignIn(ctx, code)
		return signIn != nil, err
	})
	expired := &notDoneError{status: "EXPIRED", code: "tv_code_expired",
		msg: "The code expired before a second screen signed in with it: run handoff tvcode again for a new one."}
	switch {
	case errors.Is(err, errWaitedOut) && deadline.Equal(expires), client.IsTVCodeGone(err):
		return s.fail(expired)
	case errors.Is(err, errWaitedOut):
		return s.fail(&notDoneError{status: "TIMEOUT", code: "no_sign_in",
			msg: fmt.Sprintf("No second screen signed in within %s (--timeout); the code stays valid until %s.", s.a.sf.timeout, present.Until(time.Now(), expires))})
	case err != nil:
		return s.fail(err)
	}
	return s.ok(nil, signedInAnswer{Status: "SIGNED_IN", CodeSignIn: signIn}, func(w io.Writer) {
		fmt.Fprintf(w, "%s signed in with %s as %s\n", s.device(), present.Safe(mvpdName(signIn.MVPD)), present.Safe(signIn.UserID))
		fmt.Fprintf(w, "TV provider authentication valid until %s: handoff authorize RESOURCE plays\n", present.Until(time.Now(), signIn.NotAfter.Time()))
	})
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
