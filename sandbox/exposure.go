package sandbox

import (
	"cmp"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// Exposure is where Start made the sandbox reachable, and the URL other devices are
// sent to.
type Exposure struct {
	Base      string // the URL Start returned: "http://127.0.0.1:8765"
	LAN       string // with Config.LAN: "http://192.168.1.20:8765"; else ""
	Interface string // with Config.LAN: the interface LAN is on ("wlan0")
	Public    string // what devices are sent to: Config.Advertise, else LAN, else Base
}

// Exposure says where the sandbox listens; it is empty before Start.
func (s *Server) Exposure() Exposure {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exposure
}

// Lines say, for the start of `handoff serve` and `handoff`, who can reach the
// sandbox: nothing when it is on loopback only, else the exposure in plain words.
func (e Exposure) Lines() []string {
	var out []string
	if e.LAN != "" {
		out = append(out, fmt.Sprintf("LAN: also serving on %s (interface %s): any device on this network can reach the sandbox, its API and its pages", e.LAN, e.Interface))
	}
	if e.Public != "" && e.Public != e.LAN && e.Public != e.Base {
		out = append(out, fmt.Sprintf("devices are sent to %s (--advertise); the sandbox's pages are served to any address", e.Public))
	}
	if out != nil {
		out = append(out, fmt.Sprintf("a phone can open %s/sandbox/phone to play the phone", e.Public))
	}
	return out
}

// advertisedURL checks an --advertise URL and returns it without a trailing slash.
func advertisedURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("--advertise %q: give the base URL devices reach the sandbox at, like http://192.168.1.20:8765 or https://handoff.example.net", raw)
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

// expose works out the Exposure of the loopback listener ln and, with Config.LAN,
// opens the LAN listener on the same port (none when ln already listens on every
// address).
func (s *Server) expose(ln net.Listener) (Exposure, net.Listener, error) {
	bound := ln.Addr().(*net.TCPAddr)
	e := Exposure{Base: "http://" + bound.String()}
	var lanLn net.Listener
	if s.cfg.LAN {
		ifaces, err := SystemInterfaces()
		if err != nil {
			return e, nil, &setupError{"cannot list this machine's network interfaces for --lan; use --addr HOST:PORT with the address to serve on", err}
		}
		lan, err := ChooseLANAddress(ifaces, s.cfg.LANInterface)
		if err != nil {
			return e, nil, &setupError{"--lan: " + err.Error(), err}
		}
		addr := netip.AddrPortFrom(lan.IP, uint16(bound.Port)).String()
		if !bound.IP.IsUnspecified() {
			if lanLn, err = net.Listen("tcp", addr); err != nil {
				return e, nil, &setupError{fmt.Sprintf("--lan: cannot listen on %s (interface %s): %s", addr, lan.Interface, listenProblem(err)), err}
			}
		}
		e.LAN, e.Interface = "http://"+addr, lan.Interface
	}
	// Validate checked Advertise, so that it cannot fail here.
	adv, _ := advertisedURL(s.cfg.Advertise)
	e.Public = cmp.Or(adv, e.LAN, e.Base)
	return e, lanLn, nil
}

// exposedOnPurpose says whether the sandbox was started to be reached from other
// devices (--lan, --advertise): only then are its browser pages served beyond loopback.
func (s *Server) exposedOnPurpose() bool { return s.cfg.LAN || s.cfg.Advertise != "" }

// fromLoopback says whether the request came from this machine.
func fromLoopback(remoteAddr string) bool {
	ap, err := netip.ParseAddrPort(remoteAddr)
	if err != nil {
		return false
	}
	return ap.Addr().Unmap().IsLoopback()
}
