package assets

import "strings"

// MVPD is a TV provider the sandbox's simulated MVPD login knows.
type MVPD struct {
	ID   string // the id used on the wire ("Comcast_SSO")
	Name string // what a person reads
}

var mvpds = []MVPD{
	{ID: "Comcast_SSO", Name: "Xfinity"},
	{ID: "Charter_Direct", Name: "Spectrum"},
	{ID: "DTV", Name: "DIRECTV"},
	{ID: "Dish", Name: "DISH"},
	{ID: "Cox", Name: "Cox"},
	{ID: "Verizon", Name: "Fios by Verizon"},
	{ID: "ATT", Name: "AT&T U-verse"},
	{ID: "Optimum", Name: "Optimum"},
	{ID: "Frontier", Name: "Frontier"},
	{ID: "Sling", Name: "Sling TV"},
	{ID: "YouTubeTV", Name: "YouTube TV"},
	{ID: "Hulu_Live", Name: "Hulu + Live TV"},
	{ID: "Fubo", Name: "fuboTV"},
}

// MVPDs returns every TV provider the sandbox knows, in display order.
func MVPDs() []MVPD {
	out := make([]MVPD, len(mvpds))
	copy(out, mvpds)
	return out
}

// MVPDIDs lists the ids of every TV provider, in display order, for messages and
// help: "Comcast_SSO, Charter_Direct, …".
func MVPDIDs() string {
	ids := make([]string, len(mvpds))
	for i, m := range mvpds {
		ids[i] = m.ID
	}
	return strings.Join(ids, ", ")
}

// LookupMVPD finds a TV provider by id, ignoring case.
func LookupMVPD(id string) (MVPD, bool) {
	for _, m := range mvpds {
		if strings.EqualFold(m.ID, id) {
			return m, true
		}
	}
	return MVPD{}, false
}
