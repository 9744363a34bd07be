package main

import (
	"net"
	"sort"
	"strings"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/keystore"
)

// knownAccount is one record of the keystore's index: a device this machine plays, on
// one server, for one service provider.
type knownAccount struct {
	account  string
	name     string
	hostPort string
	sp       string
}

// parseAccount splits "<device>@<host:port>/<sp>" (keystore.Account).
func parseAccount(account string) (knownAccount, bool) {
	name, rest, ok := strings.Cut(account, "@")
	i := strings.LastIndexByte(rest, '/')
	if !ok || name == "" || i <= 0 || i == len(rest)-1 {
		return knownAccount{}, false
	}
	return knownAccount{account: account, name: name, hostPort: rest[:i], sp: rest[i+1:]}, true
}

// server is the base URL the account was made for: the keystore keeps host:port
// only, and port 443 is the HTTPS one.
func (k knownAccount) server() string {
	if _, port, err := net.SplitHostPort(k.hostPort); err == nil && port == "443" {
		return "https://" + k.hostPort
	}
	return "http://" + k.hostPort
}

// knownAccounts lists the keystore's accounts, sorted; nil when the store cannot be
// read (completion must not fail aloud).
func knownAccounts(store keystore.Store) []knownAccount {
	accounts, err := store.Accounts()
	if err != nil {
		return nil
	}
	var out []knownAccount
	for _, a := range accounts {
		if k, ok := parseAccount(a); ok {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].account < out[j].account })
	return out
}

// localDevice is a device of this machine, opened from its record without the network.
type localDevice struct {
	knownAccount
	state client.DeviceState
	key   string
}

// openKnown opens the device of an account from its record.
func openKnown(store keystore.Store, k knownAccount) (localDevice, error) {
	d, err := client.OpenDevice(client.DeviceConfig{Name: k.name, Server: k.server(), SP: k.sp, Role: roleFor(k.name, assets.RolePrimary), Store: store})
	if err != nil {
		return localDevice{}, err
	}
	st := d.State()
	return localDevice{knownAccount: k, state: st, key: st.Key}, nil
}

// localDevices are the devices this machine plays on one server for one service
// provider, read silently from the keystore --keystore names.
func (a *app) localDevices(server, sp string) []localDevice {
	store, err := a.sf.openStore(nil)
	if err != nil {
		return nil
	}
	var out []localDevice
	for _, k := range knownAccounts(store) {
		if k.sp != sp || k.hostPort != hostPortOf(server) {
			continue
		}
		if dev, err := openKnown(store, k); err == nil {
			out = append(out, dev)
		}
	}
	return out
}

// hostPortOf is a server URL's host:port as keystore accounts spell it.
func hostPortOf(server string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(server, "http://"), "https://")
	s, _, _ = strings.Cut(s, "/")
	if _, _, err := net.SplitHostPort(s); err == nil {
		return s
	}
	if strings.HasPrefix(server, "https://") {
		return net.JoinHostPort(s, "443")
	}
	return net.JoinHostPort(s, "80")
}
