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

// needTools are the paths of the tools a test runs; a missing one fails the test
// under CI and skips it elsewhere.
func needTools(t *testing.T, names ...string) map[string]string {
	t.Helper()
	tools := map[string]string{}
	for _, tool := range names {
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
	return tools
}

// runReadmeBlock runs a README sh block with bash, in dir with env, as written but
// for one thing: its `export HANDOFF_SERVER=…` gets server instead of the fixed port
// it names. The run fails the test when bash fails, or when a command fails whose
// status the block does not print (with the status its comment names); the block's
// stdout is returned for the test's own checks. Whatever the block starts in the
// background is stopped with bash's process group, by the group's id.
func runReadmeBlock(t *testing.T, bash, block, server string, env []string, dir string) string {
	t.Helper()
	script := regexp.MustCompile(`(?m)^export HANDOFF_SERVER=\S+`).ReplaceAllLiteralString(block, "export HANDOFF_SERVER="+server)
	// Every command that fails is named on stderr; pipefail and -E let a failure in
	// a pipe or a $(…) be seen too.
	preamble := "set -E -o pipefail\ntrap 'echo \"readme-test: exit $? from: $BASH_COMMAND\" >&2' ERR\n"
	scriptFile := filepath.Join(t.TempDir(), "block.sh")
	if err := os.WriteFile(scriptFile, []byte(preamble+script), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, scriptFile)
	cmd.Env, cmd.Dir = env, dir
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
	return stdout.String()
}

// readmeBlock is the first ```sh block after the heading in the README.
func readmeBlock(t *testing.T, path, heading string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(raw), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("%s has no heading %q", path, heading)
	}
	start := strings.Index(after, "```sh\n")
	if start < 0 || regexp.MustCompile(`\n#+ `).MatchString(after[:start]) {
		t.Fatalf("no ```sh block under %q in %s before the next heading", heading, path)
	}
	body := after[start+len("```sh\n"):]
	block, _, ok := strings.Cut(body, "```")
	if !ok {
		t.Fatalf("the ```sh block under %q in %s does not end", heading, path)
	}
	return block
}

// unexpectedFailure says why a failed command is wrong, or "" when the block prints
// its status on the same line (`cmd; echo $?`) and the line's comment, when it starts
// with a number, names the status it got.
func unexpectedFailure(block, command, status string) string {
	for line := range strings.SplitSeq(block, "\n") {
		code, comment, _ := strings.Cut(line, "#")
		if !strings.Contains(code, command+"; echo $?") {
			continue
		}
		if m := regexp.MustCompile(`^\s*(\d+)\b`).FindStringSubmatch(comment); m != nil && m[1] != status {
			return "the README says it exits " + m[1]
		}
		return ""
	}
	return "every command of the README's block must succeed"
}
