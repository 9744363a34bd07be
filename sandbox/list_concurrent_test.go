package sandbox

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
)

// TestConcurrentListsKeepTheirBodies: lists of two profiles of different sizes,
// answered at the same time from the pooled body buffers, each come back exactly as
// that profile's list answered alone.
func TestConcurrentListsKeepTheirBodies(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{MaxDevicesPerProfile: 100})
			access := ts.accessToken(t)
			type caller struct {
				headers map[string]string
				want    string
			}
			var callers []caller
			for p, n := range []int{2, 60} {
				var d device
				var tok string
				for i := range n {
					d = device{key: deviceKey(fmt.Sprintf("p%d-%d", p, i)), access: access}
					tok = ts.serviceToken(t, d, "crowd-"+strconv.Itoa(p))
				}
				h := d.headers("AD-Service-Token", tok)
				callers = append(callers, caller{h, string(ts.do(t, "GET", "/api/demo/list", h, "").raw)})
			}
			errs := make(chan error, 200)
			var wg sync.WaitGroup
			for g := range 8 {
				c := callers[g%2]
				wg.Go(func() {
					for range 25 {
						req, _ := http.NewRequest("GET", ts.URL+"/api/demo/list", nil)
						for k, v := range c.headers {
							req.Header.Set(k, v)
						}
						resp, err := ts.http.Do(req)
						if err != nil {
							errs <- err
							return
						}
						body, err := io.ReadAll(resp.Body)
						resp.Body.Close()
						if err != nil || resp.StatusCode != 200 || string(body) != c.want {
							errs <- fmt.Errorf("list: %d (%v), body of %d bytes, want the %d of this profile", resp.StatusCode, err, len(body), len(c.want))
							return
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}
