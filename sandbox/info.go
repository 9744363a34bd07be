package sandbox

import (
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
)

// info is GET /sandbox/info: where other devices reach this sandbox, so that a client
// in any terminal puts a URL a phone can open in its QR images.
type info struct {
	PublicURL string `json:"publicUrl"` // Config.Advertise, else the LAN URL, else the loopback one
	Loopback  bool   `json:"loopback"`  // publicUrl is on loopback: a phone cannot open it
	LAN       string `json:"lanUrl,omitempty"`
	Interface string `json:"lanInterface,omitempty"`
	Advertise bool   `json:"advertised"`
	LinkPage  string `json:"linkPage"`  // the browser link page, without its query
	PhonePage string `json:"phonePage"` // the browser phone page
	Version   string `json:"version"`
}

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	e := s.Exposure()
	public := e.Public
	if public == "" {
		// Served through Handler without Start (a test, an embedding program): the
		// address this request came in on is the one known to work.
		public = "http://" + r.Host
	}
	writeJSON(w, http.StatusOK, info{
		PublicURL: public, Loopback: loopbackURL(public),
		LAN: e.LAN, Interface: e.Interface, Advertise: s.cfg.Advertise != "",
		LinkPage: public + "/sandbox/link", PhonePage: public + "/sandbox/phone",
		Version: version(),
	})
}

// loopbackURL says whether a URL's host is this machine only.
func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// version is the module version the binary was built from, or "dev".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
