package main

import "github.com/handoff-sso/handoff/sandbox"

// keepAdminToken keeps the embedded sandbox's admin token in the state directory, as
// handoff serve does, so that handoff sandbox in another terminal drives it; the
// returned function removes it when the sandbox stops. When it cannot be kept, a
// notice for the screen says what the other terminal needs instead.
func keepAdminToken(srv *sandbox.Server, base string, notices *[]string) (forget func()) {
	dir, err := sandbox.DefaultDataDir()
	if err == nil {
		var path string
		if path, err = sandbox.SaveAdminToken(dir, base, srv.AdminToken()); err == nil {
			return func() { _ = sandbox.RemoveAdminToken(path) }
		}
	}
	*notices = append(*notices, "The admin token could not be kept for 'handoff sandbox' in another terminal; it would need --admin-token, which this screen does not show.")
	return func() {}
}
