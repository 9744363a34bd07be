package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// rawCall sends one request to base and decodes a JSON answer into out.
func rawCall(c *http.Client, method, u string, h map[string]string, body string, out any) (int, error) {
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode, nil
}

// TestKillNineKeepsEvery2xx: writes that share commits are durable before their 2xx:
// a server killed with SIGKILL in the middle of concurrent joins, restarted on the
// same data, knows every device whose join it answered 201.
func TestKillNineKeepsEvery2xx(t *testing.T) {
	dir := t.TempDir()
	p := startServeProcess(t, dir)
	c := &http.Client{Timeout: 10 * time.Second}
	var st struct {
		Statement string `json:"software_statement"`
	}
	var reg struct {
		ID     string `json:"client_id"`
		Secret string `json:"client_secret"`
	}
	var tok struct {
		Access string `json:"access_token"`
	}
	if code, err := rawCall(c, "GET", p.URL+"/sandbox/software-statement", nil, "", &st); code != 200 {
		t.Fatalf("software statement: %d %v", code, err)
	}
	body, _ := json.Marshal(map[string]string{"software_statement": st.Statement})
	if code, err := rawCall(c, "POST", p.URL+"/o/client/register", map[string]string{"Content-Type": "application/json"}, string(body), &reg); code != 201 {
		t.Fatalf("register: %d %v", code, err)
	}
	form := url.Values{"client_id": {reg.ID}, "client_secret": {reg.Secret}, "grant_type": {"client_credentials"}}.Encode()
	if code, err := rawCall(c, "POST", p.URL+"/o/client/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, form, &tok); code != 201 {
		t.Fatalf("token: %d %v", code, err)
	}

	type joined struct{ key, token string }
	var mu sync.Mutex
	var answered []joined
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				key := deviceKey(fmt.Sprintf("tv-%d-%d", w, i))
				var out tokenOut
				code, err := rawCall(c, "POST", p.URL+"/api/demo/serviceToken", map[string]string{
					"Authorization": "Bearer " + tok.Access, "AP-Device-Identifier": "fingerprint " + key,
					"X-SSO-ID": fmt.Sprintf("home-%d-%d", w, i)}, "", &out)
				if err != nil {
					return // the server is gone
				}
				if code == 201 {
					mu.Lock()
					answered = append(answered, joined{key, out.Token})
					mu.Unlock()
				}
			}
		})
	}
	time.Sleep(1500 * time.Millisecond)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.exited
	close(stop)
	wg.Wait()
	if len(answered) < 10 {
		t.Fatalf("only %d joins answered before the kill", len(answered))
	}

	q := startServeProcess(t, dir)
	lost := 0
	for _, j := range answered {
		var list struct {
			Devices map[string]json.RawMessage `json:"devices"`
		}
		code, err := rawCall(c, "GET", q.URL+"/api/demo/list", map[string]string{
			"Authorization": "Bearer " + tok.Access, "AP-Device-Identifier": "fingerprint " + j.key, "AD-Service-Token": j.token}, "", &list)
		if code != 200 || list.Devices[j.key] == nil {
			lost++
			if lost <= 3 {
				t.Errorf("device %s was answered 201 before the kill, then: %d %v", j.key, code, err)
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d answered joins lost in the kill", lost, len(answered))
	}
	t.Logf("%d joins answered before SIGKILL, all found after the restart", len(answered)-lost)
}
