// Package e2e drives the real handoff binary in a real terminal (tmux): the whole
// flow on the two-device screen, and the time to its first frame. Tests only.
package e2e
