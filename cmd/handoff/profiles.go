package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

func (a *app) profilesCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "profiles",
		Short: "step 5: the TV provider authentications this device can use (REST v2 profiles)",
		Long: `Step 5 of the flow: reads the TV provider (MVPD) authentications this device can use
(GET /api/v2/{sp}/profiles with its service token). On the device that signed in the
type is "regular"; on the others of the profile it is "serviceTokenSSO".`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := a.step(cmd, "phone")
			return s.call(assets.RolePrimary, func(ctx context.Context, d *client.Device) error {
				p, err := d.Profiles(ctx)
				if err != nil {
					return s.fail(err)
				}
				return s.ok(p.Raw, p, func(w io.Writer) { writeProfiles(w, p, time.Now()) })
			})
		},
	}
}

func writeProfiles(w io.Writer, p *client.Profiles, now time.Time) {
	if len(p.Profiles) == 0 {
		fmt.Fprintln(w, "no TV provider authentication: sign in with 'handoff mvpd signin' on the phone")
		return
	}
	ids := make([]string, 0, len(p.Profiles))
	for id := range p.Profiles {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TV PROVIDER\tUSER\tTYPE\tVALID UNTIL")
	for _, id := range ids {
		prof := p.Profiles[id]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", mvpdName(id), orDash(present.Safe(prof.UserID())), orDash(present.Safe(prof.Type)), present.Until(now, prof.NotAfter.Time()))
	}
	tw.Flush()
	fmt.Fprint(w, table.String())
}
