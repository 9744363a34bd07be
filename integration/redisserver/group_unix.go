//go:build unix

package redisserver

import (
	"os/exec"
	"syscall"
)

// ownGroup puts redis-server in a process group of its own, so that a Ctrl-C meant
// for the test run does not stop it before the test does.
func ownGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }
