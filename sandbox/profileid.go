package sandbox

import "strings"

// A profile's ID in the store is its namespace, its service provider and its common
// identifier: "sso/<sp>/<X-SSO-ID>" for a profile a device named, "roku/<sp>/roku-<uuid>"
// for a platform subscriber's. A service provider holds no "/", so the three parts
// always split apart again, and no X-SSO-ID, under any {sp}, reaches a platform
// profile or another provider's.
const nsSSO = "sso"

// nsSecondScreen holds the profiles of TVs that signed in with a code they showed
// (docs/second-screen.md) before they were a member of any.
const nsSecondScreen = "tv"

func profileID(ns, sp, common string) string { return ns + "/" + sp + "/" + common }

// splitProfileID gives the parts of a profile ID; ok is false for one that is not in
// this form (a record from before profiles were scoped).
func splitProfileID(id string) (ns, sp, common string, ok bool) {
	ns, rest, ok1 := strings.Cut(id, "/")
	sp, common, ok2 := strings.Cut(rest, "/")
	if !ok1 || !ok2 || ns == "" || sp == "" || common == "" {
		return "", "", "", false
	}
	return ns, sp, common, true
}

// serviceProviderOf is the service provider a profile belongs to ("" for none).
func serviceProviderOf(id string) string {
	_, sp, _, _ := splitProfileID(id)
	return sp
}
