//go:build linux

package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeTVCodeAndSandboxBlocks runs the README's "The TV shows the code" and
// "handoff sandbox" blocks as written (but the address of their `export
// HANDOFF_SERVER=…`), each with bash, handoff and jq, against a `handoff serve
// --memory` of its own started in the same home, so that handoff sandbox finds the
// admin token it keeps. Every command succeeds but those whose status the block prints,
// which give the status their comment names.
func TestReadmeTVCodeAndSandboxBlocks(t *testing.T) {
	tools := needTools(t, "bash", "jq")
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
			stdout := runReadmeBlock(t, tools["bash"], block, server, env, home)
			// Each `; echo $?` line printed the status its comment names.
			var want []string
			for _, m := range regexp.MustCompile(`(?m); echo \$\?\s+# (\d+)\b`).FindAllStringSubmatch(block, -1) {
				want = append(want, m[1])
			}
			var got []string
			for _, line := range strings.Split(stdout, "\n") {
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
