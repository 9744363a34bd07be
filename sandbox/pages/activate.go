package pages

import "net/http"

// Activate is what the activation page shows: the second screen of a TV that shows a
// code (/sandbox/activate), where a browser enters the code and picks a TV provider
// before the simulated MVPD login.
type Activate struct {
	Code      string     // prefilled from the URL, or what was submitted
	Providers []Provider // the TV providers to pick from
	Problem   string     // why the last submission was refused, for the person
}

// Provider is one TV provider of the list; Selected is the one the TV asked for or
// the person picked.
type Provider struct {
	ID       string
	Name     string
	Selected bool
}

// WriteActivate writes the activation page with the given status.
func WriteActivate(w http.ResponseWriter, status int, a Activate) error {
	return write(w, status, "activate.html", a, "")
}
