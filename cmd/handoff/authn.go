package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// authnAnswer is the v1 authentication in the API's JSON shape (expires is epoch
// milliseconds written as a string, as the seed shows), whichever format was asked.
type authnAnswer struct {
	Requestor string `json:"requestor"`
	MVPD      string `json:"mvpd"`
	UserID    string `json:"userId"`
	Expires   string `json:"expires"`
	Format    string `json:"format"`
}

func (a *app) authnCommand() *cobra.Command {
	var asXML bool
	cmd := &cobra.Command{
		Use:   "authn",
		Short: "step 5: the device's TV provider authentication through the legacy v1 call",
		Long: `Reads the device's TV provider authentication the way an app that predates REST v2
does (GET /api/v1/tokens/authn with the device's key as deviceId). A device with no
authentication, or unlinked from its profile, is answered 404; an expired one 410.
With --xml the server is asked for XML, and the XML it sent is printed.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := a.step(cmd, "phone")
			// The XML document as the server wrote it, for people who asked to see it.
			var mu sync.Mutex
			var body []byte
			s.traceHook = func(x client.Exchange) {
				if strings.HasPrefix(x.URL, "/api/v1/tokens/authn") {
					mu.Lock()
					body = x.ResponseBody
					mu.Unlock()
				}
			}
			return s.call(assets.RolePrimary, func(ctx context.Context, d *client.Device) error {
				au, err := d.Authn(ctx, asXML)
				if err != nil {
					return s.fail(err)
				}
				answer := authnAnswer{Requestor: au.Requestor, MVPD: au.MVPD, UserID: au.UserID, Expires: strconv.FormatInt(int64(au.Expires), 10), Format: au.Format}
				// A JSON answer is printed as received; an XML one in the JSON shape.
				var raw json.RawMessage
				if au.Format == "json" {
					raw = au.Raw
				}
				return s.ok(raw, answer, func(w io.Writer) {
					mu.Lock()
					defer mu.Unlock()
					if asXML && len(body) > 0 {
						// Line by line, so that the document keeps its lines and no
						// line can drive the terminal.
						for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n") {
							fmt.Fprintln(w, present.Safe(strings.TrimSuffix(line, "\r")))
						}
						return
					}
					fmt.Fprintf(w, "%s is signed in with %s as %s for %s\n", s.device(), mvpdName(au.MVPD), present.Safe(au.UserID), present.Safe(au.Requestor))
					fmt.Fprintf(w, "authentication valid until %s\n", present.Until(time.Now(), au.Expires.Time()))
				})
			})
		},
	}
	cmd.Flags().BoolVar(&asXML, "xml", false, "ask for the XML answer instead of JSON")
	return cmd
}
