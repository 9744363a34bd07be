package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

const (
	linkPlaceholder = "{code}"
	// exampleLinkURL is the default link page spelt as a template, for messages.
	exampleLinkURL = "{server}/sandbox/link?code={code}&sp={sp}"
	// defaultWait is how long link --wait waits when --timeout does not say.
	defaultWait = 10 * time.Minute
)

// linkAnswer is the API's answer to POST link and the URL the QR image carries.
type linkAnswer struct {
	*client.LinkCode
	LinkURL string `json:"linkUrl"`
}

// linkFlags are the flags of handoff link.
type linkFlags struct {
	qr      bool
	png     string
	linkURL string
	wait    bool
}

func (a *app) linkCommand() *cobra.Command {
	var f linkFlags
	cmd := &cobra.Command{
		Use:   "link",
		Short: "step 4: get a link code for a TV (POST link), with its QR image",
		Long: `Step 4 of the flow: the signed-in device asks for a link code (POST link) that
another device types (handoff redeem CODE) or scans. The QR image carries a URL with
the code, by default the sandbox's own link page.

With --wait it then waits until a new device joins the profile (it polls the device
list), says which one and exits 0; it exits 1 when the code expires first, or when
--timeout (default 10m with --wait) runs out. With --json it prints two JSON lines:
the link code when it has it, then the device that joined (or the error).`,
		Example: "handoff link --qr\nhandoff link --wait --timeout 5m",
		Args:    noArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return a.runLink(cmd, f) },
	}
	cmd.Flags().BoolVar(&f.qr, "qr", false, "also draw the QR code in the terminal")
	cmd.Flags().StringVar(&f.png, "png", "", "also write the QR code as a PNG image to FILE")
	cmd.Flags().StringVar(&f.linkURL, "link-url", "", "the URL the QR code carries (default: the sandbox's link page); {code} is replaced by the code, {server} by --server and {sp} by --sp")
	cmd.Flags().BoolVar(&f.wait, "wait", false, "wait until a device joins with the code (or it expires)")
	_ = cmd.MarkFlagFilename("png", "png")
	_ = cmd.RegisterFlagCompletionFunc("link-url", cobra.NoFileCompletions)
	return cmd
}

func (a *app) runLink(cmd *cobra.Command, f linkFlags) error {
	s := a.step(cmd, "phone")
	if f.linkURL != "" && !strings.Contains(f.linkURL, linkPlaceholder) {
		return s.fail(usagef("--link-url must contain %s where the code goes, like %s", linkPlaceholder, exampleLinkURL))
	}
	if f.png != "" {
		if err := checkWritableDir(f.png); err != nil {
			return s.fail(err)
		}
	}
	d, err := s.open(assets.RolePrimary)
	if err != nil {
		return s.fail(err)
	}
	ctx, cancel := s.context()
	defer cancel()
	// The devices already in the profile, so that --wait knows a new one.
	var before *client.DeviceList
	if f.wait {
		if before, err = d.Devices(ctx); err != nil {
			return s.fail(err)
		}
	}
	lc, err := d.Link(ctx)
	if err != nil {
		return s.fail(err)
	}
	// The QR image and the link page point where a phone reaches the server: the
	// sandbox says where (--lan, --advertise); other servers are reached as called.
	public := client.PublicServer{URL: a.sf.server, Loopback: client.IsLoopbackURL(a.sf.server)}
	if ps, err := d.PublicServer(ctx); err == nil {
		public = ps
	}
	answer := linkAnswer{LinkCode: lc, LinkURL: expandLinkURL(f.linkURL, public.URL, a.sf.sp, lc.Code)}
	var qr string
	if f.qr {
		if qr, err = terminalQR(answer.LinkURL); err != nil {
			return s.fail(usagef("the link URL does not fit in a QR code (%d characters); shorten --link-url", len(answer.LinkURL)))
		}
	}
	if f.png != "" {
		if err := writeQRPNG(answer.LinkURL, f.png); err != nil {
			return s.fail(usagef("cannot write the QR image to %s: %s", f.png, reason(err)))
		}
	}
	if s.out().json && qr != "" {
		fmt.Fprint(a.e.stderr, qr)
	}
	if f.linkURL == "" && public.Loopback {
		fmt.Fprintf(a.e.stderr, "handoff: the link page is on %s, which only this machine can open: a phone that scans the QR code cannot reach it. Start the sandbox with --lan (handoff serve --lan) so that a phone on the same network can.\n", present.Safe(public.URL))
	}
	// linkUrl (the URL the QR image carries) set in POST link's answer as received.
	raw, err := client.SetField(bytes.TrimSpace(lc.Raw), "linkUrl", answer.LinkURL)
	if err != nil {
		raw = nil // the answer is printed as the client read it
	}
	err = s.ok(raw, answer, func(w io.Writer) {
		code := present.Safe(lc.Code)
		fmt.Fprintf(w, "Link code from %s, valid until %s:\n\n", s.device(), present.Until(time.Now(), lc.NotAfter.Time()))
		fmt.Fprintln(w, present.BigDigits(code, false))
		fmt.Fprintf(w, "\n%s   on the TV: handoff redeem %s\n", present.GroupCode(code), code)
		if qr != "" {
			fmt.Fprint(w, "\n"+qr)
		}
		fmt.Fprintf(w, "or open %s\n", present.Safe(answer.LinkURL))
		if f.png != "" {
			fmt.Fprintf(w, "QR image written to %s\n", f.png)
		}
	})
	if err != nil || !f.wait {
		return err
	}
	wait := defaultWait
	if cmd.Flags().Changed("timeout") || a.e.getenv("HANDOFF_TIMEOUT") != "" {
		wait = a.sf.timeout
	}
	return s.waitForJoin(d, before, lc.NotAfter.Time(), wait)
}

// expandLinkURL fills the --link-url template; an empty one is the sandbox's link page.
func expandLinkURL(template, server, sp, code string) string {
	if template == "" {
		return client.LinkURL(server, sp, code)
	}
	return strings.NewReplacer(
		"{server}", strings.TrimRight(server, "/"),
		"{sp}", url.QueryEscape(sp),
		linkPlaceholder, url.QueryEscape(code),
	).Replace(template)
}

// checkWritableDir catches a --png path in a missing directory before a link code is
// spent on it.
func checkWritableDir(file string) error {
	info, err := os.Stat(filepath.Dir(file))
	if err != nil || !info.IsDir() {
		return usagef("cannot write the QR image to %s: its directory does not exist", file)
	}
	return nil
}

// reason is the cause of a file error without the Go wrapping around it
// ("permission denied").
func reason(err error) string {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return pathErr.Err.Error()
	}
	return err.Error()
}
