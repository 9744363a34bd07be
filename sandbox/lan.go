package sandbox

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
)

// NetInterface is what choosing the LAN address needs to know of one network
// interface; SystemInterfaces reads them from the machine.
type NetInterface struct {
	Name     string
	Up       bool
	Loopback bool
	Addrs    []netip.Addr
}

// LANAddress is the address other devices on the network reach the sandbox at.
type LANAddress struct {
	Interface string
	IP        netip.Addr
}

// virtualPrefixes name interfaces that reach containers or VMs on this machine, not
// the network a phone is on; they are taken only when nothing else is up.
var virtualPrefixes = []string{"docker", "br-", "veth", "virbr", "vboxnet", "vmnet", "cni", "flannel", "cali", "lxc", "lxd", "podman", "tun", "tap", "utun", "wg", "tailscale", "zt"}

// ChooseLANAddress picks the address to offer other devices: from an interface that is
// up and not loopback, an address that is neither loopback nor link-local (a phone
// cannot reach fe80:: or 169.254/16 without a zone), IPv4 before IPv6 (a phone on
// Wi-Fi has an IPv4 route far more often), a physical-looking interface before a
// container bridge or a tunnel, then in the system's order. name, when not empty,
// restricts the choice to that interface.
func ChooseLANAddress(ifaces []NetInterface, name string) (LANAddress, error) {
	type candidate struct {
		LANAddress
		order int
	}
	var found []candidate
	named := false
	for i, ifc := range ifaces {
		if name != "" && ifc.Name != name {
			continue
		}
		named = true
		if !ifc.Up || ifc.Loopback {
			continue
		}
		for _, ip := range ifc.Addrs {
			ip = ip.Unmap()
			if reachableFromLAN(ip) {
				found = append(found, candidate{LANAddress{ifc.Name, ip}, i})
			}
		}
	}
	if len(found) == 0 {
		return LANAddress{}, noLANAddress(ifaces, name, named)
	}
	rank := func(c candidate) (v6, virtual int) {
		if !c.IP.Is4() {
			v6 = 1
		}
		if isVirtual(c.Interface) {
			virtual = 1
		}
		return
	}
	best := slices.MinFunc(found, func(a, b candidate) int {
		a6, av := rank(a)
		b6, bv := rank(b)
		return cmp.Or(cmp.Compare(a6, b6), cmp.Compare(av, bv), cmp.Compare(a.order, b.order))
	})
	return best.LANAddress, nil
}

func reachableFromLAN(ip netip.Addr) bool {
	return ip.IsValid() && !ip.IsUnspecified() && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() &&
		!ip.IsMulticast() && !ip.IsInterfaceLocalMulticast()
}

func isVirtual(name string) bool {
	for _, p := range virtualPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// noLANAddress says why no address was found, naming what could be chosen.
func noLANAddress(ifaces []NetInterface, name string, named bool) error {
	var usable []string
	for _, ifc := range ifaces {
		if ifc.Up && !ifc.Loopback && slices.ContainsFunc(ifc.Addrs, reachableFromLAN) {
			usable = append(usable, ifc.Name)
		}
	}
	switch {
	case name != "" && !named:
		return fmt.Errorf("this machine has no network interface %q%s", name, choices(usable))
	case name != "":
		return fmt.Errorf("the network interface %q is down or has no address another device can reach%s", name, choices(usable))
	}
	return errors.New("this machine has no network interface that is up with an address another device can reach (connect to a network, or use --advertise URL)")
}

func choices(usable []string) string {
	if len(usable) == 0 {
		return "; no interface is up with an address another device can reach"
	}
	return "; choose one of " + strings.Join(usable, ", ") + " with --lan-interface"
}

// SystemInterfaces lists this machine's network interfaces and their addresses.
func SystemInterfaces() ([]NetInterface, error) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	out := make([]NetInterface, 0, len(ifaces))
	for _, ifc := range ifaces {
		addrs, err := ifc.Addrs()
		if err != nil {
			return nil, err
		}
		ni := NetInterface{Name: ifc.Name, Up: ifc.Flags&net.FlagUp != 0, Loopback: ifc.Flags&net.FlagLoopback != 0}
		for _, a := range addrs {
			if p, err := netip.ParsePrefix(a.String()); err == nil {
				ni.Addrs = append(ni.Addrs, p.Addr())
			}
		}
		out = append(out, ni)
	}
	return out, nil
}
