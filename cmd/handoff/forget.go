package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/keystore"
)

func (a *app) forgetCommand() *cobra.Command {
	var f forgetFlags
	cmd := &cobra.Command{
		Use:   "forget --device NAME | --all",
		Short: "remove the secrets handoff stored, for one device or all, from every store",
		Long: `Removes the records (client credentials, access and service tokens) handoff keeps for
devices: those of one device, on every server and service provider, or all of them.
It looks in every store: the OS keyring when there is one, the kernel keyring, and the
plain-text key file when it exists (it never creates it). The memory store keeps
nothing after a run. --keystore limits it to one store. Exit codes: 0 done (even with
nothing to remove), 2 a wrong command line or a store that was asked for and cannot
be used, 3 a store failed while removing.`,
		Example: "handoff forget --device tv\nhandoff forget --all --keystore file",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runForget(a.e, f, args, a.stores)
		},
	}
	// forget's --device and --keystore mean something else than the shared ones: no
	// device by default, and every store.
	cmd.Flags().StringVar(&f.device, "device", "", "forget this device: every record whose account is NAME@…")
	cmd.Flags().BoolVar(&f.all, "all", false, "forget every record of every device")
	cmd.Flags().StringVar(&f.keystore, "keystore", "auto", "where to forget: auto (every store), "+strings.Join(keystoreNames()[1:], ", "))
	_ = cmd.RegisterFlagCompletionFunc("device", a.completeDeviceNames)
	_ = cmd.RegisterFlagCompletionFunc("keystore", cobra.FixedCompletions(keystoreNames(), cobra.ShellCompDirectiveNoFileComp))
	refuseShared(cmd, "forget removes records on every server and service provider", "server", "sp", "preset", "json", "trace", "timeout", "software-statement")
	return cmd
}

type forgetFlags struct {
	device, keystore string
	all              bool
}

// forgetStores says where forget looks; tests give their own.
type forgetStores struct {
	// keyring opens the OS keyring, or says why there is none.
	keyring func() (keystore.Store, error)
	// kernel opens the Linux kernel keyring, or says why there is none.
	kernel func() (keystore.Store, error)
	// fileDir is the file store's directory; "": the default one.
	fileDir string
}

var systemStores = forgetStores{
	keyring: func() (keystore.Store, error) { return keystore.Open("keyring", keystore.Options{}) },
	kernel:  func() (keystore.Store, error) { return keystore.Open("kernel", keystore.Options{}) },
}

func runForget(e *env, f forgetFlags, rest []string, stores forgetStores) error {
	var bad string
	switch {
	case len(rest) > 0:
		bad = fmt.Sprintf("forget takes no arguments (got %q); name the device with --device", strings.Join(rest, " "))
	case f.all && f.device != "":
		bad = "give --device NAME or --all, not both"
	case !f.all && f.device == "":
		bad = "forget needs --device NAME (one device) or --all (every device)"
	case !slices.Contains(keystoreNames(), f.keystore):
		bad = fmt.Sprintf("unknown keystore %q; choose one of %s", f.keystore, strings.Join(keystoreNames(), ", "))
	}
	if bad != "" {
		return &usageError{msg: bad}
	}

	kind := f.keystore
	fg := forgetter{e: e, device: f.device}
	if kind == "memory" {
		fmt.Fprintln(e.stdout, "memory: keeps nothing after a run ends; nothing to forget")
		return nil
	}
	for _, st := range []struct {
		kind string
		open func() (keystore.Store, error)
	}{{"keyring", stores.keyring}, {"kernel", stores.kernel}} {
		if kind != "auto" && kind != st.kind || st.open == nil {
			continue
		}
		s, err := st.open()
		switch {
		case err != nil && kind == st.kind:
			return &setupError{msg: storeProblem(err) + "; nothing was removed", err: err}
		case errors.Is(err, keystore.ErrUnknownKind):
			// This build's keystore has no such store.
		case err != nil:
			fmt.Fprintf(e.stdout, "%s: not available (%s); nothing to remove there\n", st.kind, storeProblem(err))
		default:
			fg.sweep(st.kind, s)
		}
	}
	if kind == "auto" || kind == "file" {
		path, err := keystore.FilePath(stores.fileDir)
		if err == nil {
			_, err = os.Stat(path)
		}
		switch {
		case errors.Is(err, fs.ErrNotExist):
			fmt.Fprintf(e.stdout, "file: no key file at %s; nothing to remove there\n", path)
		case err != nil:
			fmt.Fprintf(e.stderr, "handoff: %s; nothing was removed from the file store\n", storeProblem(err))
			fg.failed = true
		default:
			// No Warn: the file is about to lose records, not to receive them.
			s, err := keystore.Open("file", keystore.Options{Dir: stores.fileDir})
			if err != nil {
				fmt.Fprintf(e.stderr, "handoff: %s\n", storeProblem(err))
				fg.failed = true
			} else {
				fg.sweep("file "+path, s)
			}
		}
	}
	if fg.failed {
		return &reportedError{err: errForgetFailed}
	}
	return nil
}

// errForgetFailed is a store that failed while forget removed records: each failure
// was said as it happened.
var errForgetFailed = errors.New("a store failed while removing records")

// forgetter removes records from stores and reports each on stdout.
type forgetter struct {
	e      *env
	device string // "": every record
	failed bool
}

func (f *forgetter) sweep(where string, s keystore.Store) {
	// The keyring can hold entries its index does not list (a run that died between
	// two writes) or an index it cannot read; --all removes those too.
	deleteAll, canDeleteAll := s.(interface{ DeleteAll() error })
	canDeleteAll = canDeleteAll && f.device == ""

	accounts, listErr := s.Accounts()
	if listErr != nil && !canDeleteAll {
		fmt.Fprintf(f.e.stderr, "handoff: %s: %s\n", where, storeProblem(listErr))
		f.failed = true
		return
	}
	removed := 0
	for _, a := range accounts {
		if f.device != "" && !strings.HasPrefix(a, f.device+"@") {
			continue
		}
		if err := s.Delete(a); err != nil {
			fmt.Fprintf(f.e.stderr, "handoff: %s: could not remove %s: %s\n", where, a, storeProblem(err))
			f.failed = true
			continue
		}
		fmt.Fprintf(f.e.stdout, "%s: removed %s\n", where, a)
		removed++
	}
	if canDeleteAll {
		if err := deleteAll.DeleteAll(); err != nil {
			fmt.Fprintf(f.e.stderr, "handoff: %s: %s\n", where, storeProblem(err))
			f.failed = true
			return
		}
		if listErr != nil {
			fmt.Fprintf(f.e.stdout, "%s: removed every entry of service %q (their list was unreadable)\n", where, keystore.Service)
			return
		}
	}
	switch {
	case removed > 0 || f.failed:
	case f.device != "":
		fmt.Fprintf(f.e.stdout, "%s: nothing stored for device %q\n", where, f.device)
	default:
		fmt.Fprintf(f.e.stdout, "%s: nothing stored\n", where)
	}
}

// storeProblem is a store error in words for people: the keyring's reason, or the
// store's own message without its package prefix.
func storeProblem(err error) string {
	var u *keystore.UnavailableError
	if errors.As(err, &u) {
		return "the keyring is unavailable: " + u.Reason
	}
	return strings.TrimPrefix(err.Error(), "keystore: ")
}
