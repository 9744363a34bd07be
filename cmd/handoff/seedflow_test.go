package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/integration/seedserver"
)

// These tests run the built handoff binary against the independent seed server
// (integration/seedserver, written from the seed alone), served on a loopback port by
// the test process.

func startSeedServer(t *testing.T, v seedserver.Variants) (*seedserver.Server, string) {
	t.Helper()
	srv, err := seedserver.New(seedserver.Config{Variants: v})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv) // 127.0.0.1
	t.Cleanup(hs.Close)
	return srv, hs.URL
}

// runWith runs handoff with extra environment variables and stdin.
func (s *shell) runWith(env []string, stdin string, args ...string) result {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Env = append(append([]string{}, s.env...), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		s.t.Fatalf("handoff %q: %v", args, err)
	}
	return result{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
}

// must checks an exit code and returns the run.
func (s *shell) must(want int, r result, args ...string) result {
	s.t.Helper()
	if r.code != want {
		s.t.Fatalf("handoff %q: exit %d, want %d\nstdout: %s\nstderr: %s", args, r.code, want, r.stdout, r.stderr)
	}
	return r
}

func decodeOne(t *testing.T, out string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || dec.More() {
		t.Fatalf("stdout is not one JSON object (%v):\n%s", err, out)
	}
	return obj
}

// TestCLITwoDevicesOnTheSeedServer is the whole flow of two devices from the shell
// against a server that is not the sandbox: no sandbox endpoint (the statement comes
// from a file, then from the variable), link codes with letters, list attributes of
// other JSON types, v1 authn at seed 004's path only, unknown fields in every answer,
// and service tokens of 3 s, so that a refresh happens between commands.
func TestCLITwoDevicesOnTheSeedServer(t *testing.T) {
	const ttl = 3 * time.Second
	srv, url := startSeedServer(t, seedserver.Variants{NoSandbox: true, AlphanumericCodes: true, TypedAttributes: true,
		V1PathOnly: true, UnknownFields: true, TokenTTL: ttl})
	sh := newShell(t, url)
	statement := filepath.Join(t.TempDir(), "statement.jwt")
	if err := os.WriteFile(statement, append(srv.SoftwareStatement(), '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	asTV := []string{"HANDOFF_SOFTWARE_STATEMENT=" + string(srv.SoftwareStatement())}

	// Without a statement the server cannot be registered with: the error names the flag.
	r := sh.run("signin", "--sso-id", "alice")
	if r.code == 0 || !strings.Contains(r.stderr, "--software-statement") {
		t.Fatalf("signin with no statement: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := sh.run("signin", "--sso-id", "alice", "--software-statement", "/no/such/file"); r.code != exitUsage || !strings.Contains(r.stderr, "cannot read the software statement from /no/such/file") {
		t.Fatalf("missing statement file: exit %d, stderr %q", r.code, r.stderr)
	}

	// The phone signs in with the statement read from stdin; --json is the answer as
	// received, unknown fields and their number forms kept.
	args := []string{"signin", "--sso-id", "alice", "--software-statement", "-", "--json"}
	r = sh.must(0, sh.runWith(nil, string(srv.SoftwareStatement()), args...), args...)
	if !strings.Contains(r.stdout, `"servedBy":{"canary":false,"region":"eu-west-1","weight":0.5}`) || !strings.HasSuffix(r.stdout, `,"device":"phone"}`+"\n") {
		t.Errorf("signin --json is not the answer as received plus device:\n%s", r.stdout)
	}

	// A link code with letters; the server offers no /sandbox/info, so the link URL
	// is the one called, on loopback, and stderr says a phone cannot open it.
	args = []string{"link", "--software-statement", statement, "--json"}
	r = sh.must(0, sh.runWith(nil, "", args...), args...)
	link := decodeOne(t, r.stdout)
	code, _ := link["code"].(string)
	if !regexp.MustCompile(`^[A-Z0-9]{6}$`).MatchString(code) || link["linkUrl"] != url+"/sandbox/link?code="+code || link["revision"] != "1.0.0" || link["device"] != "phone" {
		t.Fatalf("link --json: %v", link)
	}
	if !strings.Contains(r.stderr, "--lan") || strings.Contains(r.stdout, "--lan") {
		t.Errorf("link on loopback: stderr %q should name --lan (and stdout not)", r.stderr)
	}
	args = []string{"link", "--software-statement", statement}
	human := sh.must(0, sh.runWith(nil, "", args...), args...).stdout
	code2 := regexp.MustCompile(`handoff redeem ([A-Z0-9]+)`).FindStringSubmatch(human)
	if code2 == nil {
		t.Fatalf("link output names no code:\n%s", human)
	}

	// The TV types the code as a person would, with a dash; its statement comes from
	// the variable.
	args = []string{"redeem", code[:3] + "-" + strings.ToLower(code[3:])}
	if strings.ToLower(code[3:]) != code[3:] {
		// The seed server compares codes exactly: the case typed is sent as typed.
		if r := sh.runWith(asTV, "", args...); r.code != exitRefused || !strings.Contains(r.stderr, "invalid_parameter_code") {
			t.Fatalf("a code in the wrong case: exit %d, stderr %q", r.code, r.stderr)
		}
		args = []string{"redeem", code2[1][:3] + "-" + code2[1][3:]}
	}
	r = sh.must(0, sh.runWith(asTV, "", args...), args...)
	if !strings.Contains(r.stdout, "tv joined profile alice") {
		t.Errorf("redeem: %s", r.stdout)
	}

	// The list carries typed attributes: the table shows them, --json keeps them.
	args = []string{"devices", "--device", "tv", "--json"}
	r = sh.must(0, sh.runWith(asTV, "", args...), args...)
	if !strings.Contains(r.stdout, `"hdr":true`) || !strings.Contains(r.stdout, `"screen":{"height":2160,"width":3840}`) {
		t.Errorf("devices --json lost the typed attributes:\n%s", r.stdout)
	}
	var list struct {
		Devices map[string]map[string]any `json:"devices"`
	}
	_ = json.Unmarshal([]byte(r.stdout), &list)
	if len(list.Devices) != 2 {
		t.Fatalf("devices: %s", r.stdout)
	}
	args = []string{"devices", "--device", "tv"}
	table := sh.must(0, sh.runWith(asTV, "", args...), args...).stdout
	for _, want := range []string{"this device", "other attributes", "hdr=true", "screen=", "firmwareBuild=A.1"} {
		if !strings.Contains(table, want) {
			t.Errorf("devices lacks %q:\n%s", want, table)
		}
	}

	// v1 authentication at seed 004's path, JSON and XML.
	srv.Authenticate("alice", "Comcast_SSO", "jdoe", time.Now().Add(time.Hour))
	args = []string{"authn", "--device", "tv", "--json"}
	if au := decodeOne(t, sh.must(0, sh.runWith(asTV, "", args...), args...).stdout); au["userId"] != "jdoe" || au["device"] != "tv" {
		t.Errorf("authn --json: %v", au)
	}
	args = []string{"authn", "--device", "tv", "--xml"}
	if out := sh.must(0, sh.runWith(asTV, "", args...), args...).stdout; !strings.Contains(out, "<userId>jdoe</userId>") {
		t.Errorf("authn --xml: %s", out)
	}

	// Both tokens expire; the next commands refresh them first (GET serviceToken) and
	// do not ask anyone to sign in again.
	time.Sleep(ttl + 500*time.Millisecond)
	refusedBefore := srv.Refused()
	args = []string{"devices", "--trace"}
	r = sh.must(0, sh.runWith([]string{"HANDOFF_SOFTWARE_STATEMENT=" + string(srv.SoftwareStatement())}, "", args...), args...)
	if !strings.Contains(r.stderr, "> GET /api/demo/serviceToken") || !strings.Contains(r.stderr, "< 200 OK") {
		t.Errorf("devices after expiry made no refresh:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, string(srv.SoftwareStatement())) {
		t.Error("--trace shows the software statement")
	}
	args = []string{"link", "--device", "tv", "--json"}
	sh.must(0, sh.runWith(asTV, "", args...), args...)
	if n := srv.Refused() - refusedBefore; n != 0 {
		t.Errorf("the server refused %d requests after expiry: the refresh should come first", n)
	}

	// The phone unlinks every other device; the TV's token is refused from then on.
	args = []string{"unlink", "--all-others", "--yes", "--json"}
	r = sh.must(0, sh.runWith(asTV, "", args...), args...)
	if un := decodeOne(t, r.stdout); un["device"] != "phone" || len(un["unlinkedDevices"].([]any)) != 1 {
		t.Errorf("unlink --all-others: %v", un)
	}
	if r := sh.runWith(asTV, "", "refresh", "--device", "tv"); r.code != exitRefused {
		t.Errorf("refresh of the unlinked TV: exit %d, stderr %q", r.code, r.stderr)
	}
}
