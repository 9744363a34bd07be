package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

const authnUsage = "handoff authn [--xml] [flags]"

func init() {
	register(&command{
		name:    "authn",
		summary: "step 5: the device's TV provider authentication through the legacy v1 call",
		usage:   authnUsage,
		run:     runAuthn,
	})
}

// authnAnswer is the v1 authentication in the API's JSON shape (expires is epoch
// milliseconds written as a string, as the seed shows), whichever format was asked.
type authnAnswer struct {
	Requestor string `json:"requestor"`
	MVPD      string `json:"mvpd"`
	UserID    string `json:"userId"`
	Expires   string `json:"expires"`
	Format    string `json:"format"`
}

func runAuthn(ctx context.Context, e *env, args []string) int {
	c := newDeviceCommand(e, "authn", authnUsage, `Reads the device's TV provider authentication the way an app that predates REST v2
does (GET /api/v1/tokens/authn with the device's key as deviceId). A device with no
authentication, or unlinked from its profile, is answered 404; an expired one 410.
With --xml the server is asked for XML, and the XML it sent is printed.`, "phone")
	asXML := c.fs.Bool("xml", false, "ask for the XML answer instead of JSON")
	rest, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if err := noArgs("authn", rest); err != nil {
		return c.out.fail(err)
	}
	// The XML document as the server wrote it, for people who asked to see it.
	var mu sync.Mutex
	var body []byte
	c.traceHook = func(x client.Exchange) {
		if strings.HasPrefix(x.URL, "/api/v1/tokens/authn") {
			mu.Lock()
			body = x.ResponseBody
			mu.Unlock()
		}
	}
	d, err := c.open(assets.RolePrimary)
	if err != nil {
		return c.out.fail(err)
	}
	a, err := d.Authn(ctx, *asXML)
	if err != nil {
		return c.out.fail(err)
	}
	answer := authnAnswer{Requestor: a.Requestor, MVPD: a.MVPD, UserID: a.UserID, Expires: strconv.FormatInt(int64(a.Expires), 10), Format: a.Format}
	return c.out.ok(answer, func(w io.Writer) {
		mu.Lock()
		defer mu.Unlock()
		if *asXML && len(body) > 0 {
			fmt.Fprintln(w, strings.TrimSpace(string(body)))
			return
		}
		fmt.Fprintf(w, "%s is signed in with %s as %s for %s\n", c.df.device, mvpdName(a.MVPD), a.UserID, a.Requestor)
		fmt.Fprintf(w, "authentication valid until %s\n", until(time.Now(), a.Expires.Time()))
	})
}
