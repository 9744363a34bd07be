// Package tui is handoff's terminal interface: the phone and the TV of the link-code
// flow side by side (or one device alone), their HTTP exchanges and a guided tour.
// Every I/O goes through a client.Device step run as a tea.Cmd.
package tui
