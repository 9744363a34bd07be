package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// The linter is @redocly/cli (installed by .ci/run): the document must pass its
// recommended rules with warnings as errors (redocly.yaml).
func TestOpenAPILint(t *testing.T) {
	bin, err := exec.LookPath("redocly")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redocly is not installed: .ci/run installs it (npm install -g @redocly/cli@2.77.0)")
		}
		t.Skip("redocly is not installed (npm install -g @redocly/cli@2.77.0); CI runs this lint")
	}
	cmd := exec.Command(bin, "lint", "--config", "redocly.yaml", "--format", "stylish", "openapi.json")
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("redocly lint openapi.json: %v\n%s", err, out)
	}
}

func TestOpenAPIServed(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	r := ts.do(t, "GET", "/sandbox/openapi.json", nil, "")
	if r.status != 200 || r.str("openapi") != "3.1.0" || !bytes.Equal(r.raw, OpenAPI()) {
		t.Fatalf("GET /sandbox/openapi.json: %d %.200s", r.status, r.raw)
	}
}

// Every operation the document has is served (no answer from the catch-all or a 405),
// and every path routes() registers is in the document.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, "memory", "", Config{})
	fill := strings.NewReplacer("{sp}", "demo", "{mvpd}", "cox", "{code}", "ABCDEFGH", "{id}", "f1", "{requestor}", "demo")
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			p := ts.raw(t, strings.ToUpper(method), fill.Replace(path), nil, "")
			if p.status == 405 || strings.Contains(p.body, errNotFound.message) {
				t.Errorf("%s %s is documented but not served: %d %.200s", strings.ToUpper(method), path, p.status, p.body)
			}
		}
	}
	src, err := os.ReadFile("server.go")
	if err != nil {
		t.Fatal(err)
	}
	admin, err := os.ReadFile("admin.go")
	if err != nil {
		t.Fatal(err)
	}
	registered := regexp.MustCompile(`route(?:As)?\((adminPrefix\+)?"([^"]+)"`).FindAllStringSubmatch(string(src)+string(admin), -1)
	if len(registered) < 20 {
		t.Fatalf("found only %d routes in server.go and admin.go; has route() changed?", len(registered))
	}
	for _, v1 := range append(append([]string{activationPath}, v1AuthnPaths...), regcodePaths...) {
		registered = append(registered, []string{"", "", v1})
	}
	for _, m := range registered {
		path := m[2]
		if m[1] != "" {
			path = adminPrefix + path
		}
		if _, ok := doc.Paths[path]; !ok {
			t.Errorf("%s is served but not in openapi.json: document it there", path)
		}
	}
}

// The check that every test answer goes through does catch an answer off the document.
func TestContractCatchesAViolation(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	req, _ := http.NewRequest("POST", ts.URL+"/api/demo/link", nil)
	for name, c := range map[string]struct {
		status int
		ct     string
		body   string
	}{
		"code not six digits": {201, "application/json", `{"status":"CREATED","code":"12345","notBefore":1,"notAfter":2}`},
		"field missing":       {201, "application/json", `{"status":"CREATED","code":"123456","notBefore":1}`},
		"undocumented status": {204, "application/json", `{}`},
		"error not in shape":  {503, "application/json", `{"error":"server_error","error_description":"x"}`},
		"not JSON":            {201, "text/html", `<p>`},
	} {
		resp := &http.Response{StatusCode: c.status, Header: http.Header{"Content-Type": {c.ct}}, Request: req, Body: io.NopCloser(strings.NewReader(c.body))}
		if err := contractError(resp, []byte(c.body)); err == nil {
			t.Errorf("%s: the contract check let %s through", name, c.body)
		}
	}
	ok := `{"status":"CREATED","code":"123456","notBefore":1,"notAfter":2}`
	resp := &http.Response{StatusCode: 201, Header: http.Header{"Content-Type": {"application/json"}}, Request: req}
	if err := contractError(resp, []byte(ok)); err != nil {
		t.Errorf("a good link answer is refused: %v", err)
	}
}

// What the frame refuses before any handler (headers too large) is in the document
// too, on the browser pages as on the APIs.
func TestOpenAPIHasTheFramesRefusals(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	huge := map[string]string{"X-Padding": strings.Repeat("a", maxHeaderBytes)}
	for _, path := range []string{"/sandbox/link", "/sandbox/phone", "/sandbox/activate", "/sandbox/mvpd-login/ABCDEFGH", "/sandbox/info", "/api/v2/demo/profiles/code/ABCDEFG"} {
		if p := ts.raw(t, "GET", path, huge, ""); p.status != http.StatusBadRequest || !strings.Contains(p.body, "headers are larger") {
			t.Errorf("GET %s with %d bytes of headers: %d %.200s", path, maxHeaderBytes, p.status, p.body)
		}
	}
}
