//go:build linux

package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadmeTVCodeAndSandboxBlocks runs the README's "The TV shows the code" and
// "handoff sandbox" blocks as written (but the address of their `export
// HANDOFF_SERVER=…`), each with bash, handoff and jq, against a `handoff serve
// --memory` of its own started in the same home, so that handoff sandbox finds the
// admin token it keeps. Every command succeeds but those whose status the block prints,
// which give the status their comment names.
func TestReadmeTVCodeAndSandboxBlocks(t *testing.T) {
	tools := map[string]string{}
	for _, tool := range []string{"bash", "jq"} {
		path, err := exec.LookPath(tool)
		switch {
		case err == nil:
			tools[tool] = path
		case os.Getenv("CI") != "":
			t.Fatalf("CI: %s is missing; install it (.ci/run does)", tool)
		default:
			t.Skipf("needs %s: install it with 'apt-get install %s'", tool, tool)
		}
	}
	for name, heading := range map[string]string{"tvcode": "### The TV shows the code", "sandbox": "### From the shell: `handoff sandbox`"} {
		t.Run(name, func(t *testing.T) {
			block := readmeBlock(t, filepath.Join("..", "README.md"), heading)
			root := t.TempDir()
			home, bin := filepath.Join(root, "home"), filepath.Join(root, "bin")
			for _, d := range []string{home, bin} {
				if err := os.Mkdir(d, 0o700); err != nil {
					t.Fatal(err)
				}
			}
			for name, target := range map[string]string{"handoff": binary(t), "jq": tools["jq"]} {
				if err := os.Symlink(target, filepath.Join(bin, name)); err != nil {
					t.Fatal(err)
				}
			}
			env := []string{
				"PATH=" + bin + ":/usr/bin:/bin", "HOME=" + home, "HANDOFF_KEYSTORE=file",
				"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"),
				"TMPDIR=" + root, "LANG=C.UTF-8", "TERM=dumb",
			}
			server := startServe(t, env)
			script := regexp.MustCompile(`(?m)^export HANDOFF_SERVER=\S+`).ReplaceAllLiteralString(block, "export HANDOFF_SERVER="+server)
			preamble := "set -E -o pipefail\ntrap 'echo \"readme-test: exit $? from: $BASH_COMMAND\" >&2' ERR\n"
			scriptFile := filepath.Join(root, "block.sh")
			if err := os.WriteFile(scriptFile, []byte(preamble+script), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, tools["bash"], scriptFile)
			cmd.Env, cmd.Dir = env, home
			// The block starts handoff in the background: its process group is
			// stopped with it, by the group's id, when the block ends or times out.
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
			cmd.WaitDelay = 5 * time.Second
			defer func() {
				if cmd.Process != nil {
					_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				}
			}()
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			runErr := cmd.Run()
			t.Logf("the block, run against %s:\n%s\nstdout:\n%s\nstderr:\n%s", server, script, stdout.String(), stderr.String())
			if runErr != nil {
				t.Errorf("bash: %v", runErr)
			}
			for _, failure := range regexp.MustCompile(`readme-test: exit (\d+) from: (.*)`).FindAllStringSubmatch(stderr.String(), -1) {
				if why := unexpectedFailure(block, failure[2], failure[1]); why != "" {
					t.Errorf("%q exited %s: %s", failure[2], failure[1], why)
				}
			}
			// Each `; echo $?` line printed the status its comment names.
			var want []string
			for _, m := range regexp.MustCompile(`(?m); echo \$\?\s+# (\d+)\b`).FindAllStringSubmatch(block, -1) {
				want = append(want, m[1])
			}
			var got []string
			for _, line := range strings.Split(stdout.String(), "\n") {
				if regexp.MustCompile(`^\d+$`).MatchString(line) {
					got = append(got, line)
				}
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("the statuses the block printed: %q, its comments say %q", got, want)
			}
		})
	}
}
