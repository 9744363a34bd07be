package sandbox

import (
	"net/netip"
	"strings"
	"testing"
)

func addrs(ss ...string) []netip.Addr {
	out := make([]netip.Addr, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParseAddr(s)
	}
	return out
}

func TestChooseLANAddress(t *testing.T) {
	lo := NetInterface{Name: "lo", Up: true, Loopback: true, Addrs: addrs("127.0.0.1", "::1")}
	down := NetInterface{Name: "eth1", Up: false, Addrs: addrs("192.168.7.2")}
	linkLocal := NetInterface{Name: "eth2", Up: true, Addrs: addrs("169.254.10.20", "fe80::1")}
	v6only := NetInterface{Name: "eth3", Up: true, Addrs: addrs("fe80::2", "2001:db8::20")}
	wifi := NetInterface{Name: "wlan0", Up: true, Addrs: addrs("fe80::3", "2001:db8::30", "192.168.1.20")}
	eth := NetInterface{Name: "eth0", Up: true, Addrs: addrs("10.0.0.5")}
	docker := NetInterface{Name: "docker0", Up: true, Addrs: addrs("172.17.0.1")}
	mapped := NetInterface{Name: "eth4", Up: true, Addrs: addrs("::ffff:192.0.2.9")}
	for _, tc := range []struct {
		name   string
		ifaces []NetInterface
		choose string
		want   LANAddress
		err    string // a part of the error, when one is wanted
	}{
		{"only loopback", []NetInterface{lo}, "", LANAddress{}, "no network interface that is up"},
		{"down and link-local are skipped", []NetInterface{lo, down, linkLocal}, "", LANAddress{}, "no network interface that is up"},
		{"IPv6 when there is nothing else", []NetInterface{lo, linkLocal, v6only}, "", LANAddress{"eth3", netip.MustParseAddr("2001:db8::20")}, ""},
		{"IPv4 before IPv6, across interfaces", []NetInterface{lo, v6only, wifi}, "", LANAddress{"wlan0", netip.MustParseAddr("192.168.1.20")}, ""},
		{"several up: the system's order", []NetInterface{lo, down, eth, wifi}, "", LANAddress{"eth0", netip.MustParseAddr("10.0.0.5")}, ""},
		{"a container bridge after a real interface", []NetInterface{lo, docker, wifi}, "", LANAddress{"wlan0", netip.MustParseAddr("192.168.1.20")}, ""},
		{"a container bridge when it is all there is", []NetInterface{lo, docker}, "", LANAddress{"docker0", netip.MustParseAddr("172.17.0.1")}, ""},
		{"an IPv4-mapped address is IPv4", []NetInterface{v6only, mapped}, "", LANAddress{"eth4", netip.MustParseAddr("192.0.2.9")}, ""},
		{"named interface", []NetInterface{lo, eth, wifi}, "wlan0", LANAddress{"wlan0", netip.MustParseAddr("192.168.1.20")}, ""},
		{"named interface that is down", []NetInterface{lo, down, wifi}, "eth1", LANAddress{}, `"eth1" is down or has no address another device can reach; choose one of wlan0 with --lan-interface`},
		{"named loopback", []NetInterface{lo, eth}, "lo", LANAddress{}, `"lo" is down`},
		{"named interface that does not exist", []NetInterface{lo, eth, wifi}, "en7", LANAddress{}, `no network interface "en7"; choose one of eth0, wlan0 with --lan-interface`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ChooseLANAddress(tc.ifaces, tc.choose)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, %v; want an error with %q", got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

// TestSystemInterfaces reads this machine's list: it always has a loopback interface.
func TestSystemInterfaces(t *testing.T) {
	ifaces, err := SystemInterfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, ifc := range ifaces {
		if ifc.Loopback && ifc.Up {
			for _, a := range ifc.Addrs {
				if a.IsLoopback() {
					return
				}
			}
		}
	}
	t.Fatalf("no loopback interface with a loopback address in %+v", ifaces)
}
