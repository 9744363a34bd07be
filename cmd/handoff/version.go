package main

import (
	"runtime/debug"
	"text/template"

	"github.com/spf13/cobra"
)

// Set by the build (make build): -ldflags "-X main.version=… -X main.commit=… -X main.date=…".
// A plain go build or go run with VCS stamping on gets the commit and its date from
// the build info instead.
var (
	version string
	commit  string
	date    string
)

// build is what --version reports.
type build struct{ version, commit, date string }

func buildVersion() build {
	b := build{version: version, commit: commit, date: date}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && b.commit == "":
				b.commit = s.Value
			case s.Key == "vcs.time" && b.date == "":
				b.date = s.Value
			}
		}
	}
	if b.version == "" {
		b.version = "dev"
	}
	if b.commit == "" {
		// Nothing said which commit this is (go build -buildvcs=false, or outside a
		// checkout): say so rather than print a version that looks complete.
		b.version += ", commit unknown (build with make build)"
	}
	return b
}

// versionTemplate is cobra's --version output: fang has put the commit in .Version.
func (b build) versionTemplate() string {
	t := "{{.Name}} {{.Version}}"
	if b.date != "" {
		t += ", built " + b.date
	}
	return t + "\n"
}

// versionCommand is `handoff version`, which handoff has always answered as --version.
func versionCommand() *cobra.Command {
	c := &cobra.Command{
		Use:    "version",
		Short:  "print the version, commit and build date (as --version)",
		Hidden: true,
		Args:   noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			root := c.Root()
			return template.Must(template.New("version").Parse(buildVersion().versionTemplate())).Execute(c.OutOrStdout(), map[string]string{"Name": root.Name(), "Version": root.Version})
		},
	}
	refuseShared(c, "the version is the same for every device and server", sharedNames...)
	return c
}
