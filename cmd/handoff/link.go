package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

const (
	linkUsage       = "handoff link [--qr] [--png FILE] [--link-url TEMPLATE] [flags]"
	linkPlaceholder = "{code}"
	// exampleLinkURL is the default link page spelt as a template, for messages.
	exampleLinkURL = "{server}/sandbox/link?code={code}&sp={sp}"
)

func init() {
	register(&command{
		name:    "link",
		summary: "step 4: get a six-digit link code for a TV (POST link), with its QR image",
		usage:   linkUsage,
		run:     runLink,
	})
}

// linkAnswer is the API's answer to POST link and the URL the QR image carries.
type linkAnswer struct {
	*client.LinkCode
	LinkURL string `json:"linkUrl"`
}

func runLink(ctx context.Context, e *env, args []string) int {
	c := newDeviceCommand(e, "link", linkUsage, `Step 4 of the flow: the signed-in device asks for a link code (POST link) that
another device types (handoff redeem CODE) or scans. The QR image carries a URL with
the code, by default the sandbox's own link page.`, "phone")
	showQR := c.fs.Bool("qr", false, "also draw the QR code in the terminal")
	pngFile := c.fs.String("png", "", "also write the QR code as a PNG image to `FILE`")
	linkURL := c.fs.String("link-url", "", "the URL the QR code carries (default: the sandbox's link page); {code} is replaced by the code, {server} by --server and {sp} by --sp")
	rest, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if err := noArgs("link", rest); err != nil {
		return c.out.fail(err)
	}
	if *linkURL != "" && !strings.Contains(*linkURL, linkPlaceholder) {
		return c.out.fail(usagef("--link-url must contain %s where the code goes, like %s", linkPlaceholder, exampleLinkURL))
	}
	if *pngFile != "" {
		if err := checkWritableDir(*pngFile); err != nil {
			return c.out.fail(err)
		}
	}
	d, err := c.open(assets.RolePrimary)
	if err != nil {
		return c.out.fail(err)
	}
	lc, err := d.Link(ctx)
	if err != nil {
		return c.out.fail(err)
	}
	answer := linkAnswer{LinkCode: lc, LinkURL: expandLinkURL(*linkURL, c.df.server, c.df.sp, lc.Code)}
	var qr string
	if *showQR {
		if qr, err = terminalQR(answer.LinkURL); err != nil {
			return c.out.fail(usagef("the link URL does not fit in a QR code (%d characters); shorten --link-url", len(answer.LinkURL)))
		}
	}
	if *pngFile != "" {
		if err := writeQRPNG(answer.LinkURL, *pngFile); err != nil {
			return c.out.fail(usagef("cannot write the QR image to %s: %s", *pngFile, reason(err)))
		}
	}
	if c.out.json && qr != "" {
		fmt.Fprint(e.stderr, qr)
	}
	return c.out.ok(answer, func(w io.Writer) {
		fmt.Fprintf(w, "Link code from %s, valid until %s:\n\n", c.df.device, until(time.Now(), lc.NotAfter.Time()))
		fmt.Fprintln(w, present.BigDigits(lc.Code, false))
		fmt.Fprintf(w, "\n%s   on the TV: handoff redeem %s\n", present.GroupCode(lc.Code), lc.Code)
		if qr != "" {
			fmt.Fprint(w, "\n"+qr)
		}
		fmt.Fprintf(w, "or open %s\n", answer.LinkURL)
		if *pngFile != "" {
			fmt.Fprintf(w, "QR image written to %s\n", *pngFile)
		}
	})
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
