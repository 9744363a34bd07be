package integration

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	neturl "net/url"
	"strings"
	"testing"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/integration/seedserver"
)

// BenchmarkBigList reads a profile of 20 000 devices (about 6 MiB) from the seed
// server: "device" through client.Device (stream-read to the cap, decoded, every
// attribute kept), "bare" the same request with net/http and io.ReadAll alone, the
// baseline in the same run.
func BenchmarkBigList(b *testing.B) {
	ctx := context.Background()
	v := seedserver.Variants{ExtraDevices: 20000, ExtraBytes: 256}
	srv, url := startSeed(b, seedserver.Config{Variants: v})
	phone, _ := seedPair(b, srv, url, v, nil)
	if _, err := phone.SignIn(ctx, "bench"); err != nil {
		b.Fatal(client.Explain(err))
	}
	list, err := phone.Devices(ctx)
	if err != nil {
		b.Fatal(client.Explain(err))
	}
	b.Run("device", func(b *testing.B) {
		b.SetBytes(int64(len(list.Raw)))
		for b.Loop() {
			if _, err := phone.Devices(ctx); err != nil {
				b.Fatal(client.Explain(err))
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		req := bareListRequest(b, srv, url)
		b.SetBytes(int64(len(list.Raw)))
		for b.Loop() {
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || n < int64(len(list.Raw))/2 {
				b.Fatalf("bare list: %d, %d bytes", resp.StatusCode, n)
			}
		}
	})
}

// bareListRequest registers, gets an access token and joins with net/http alone,
// and returns the list request of that device.
func bareListRequest(b *testing.B, srv *seedserver.Server, url string) *http.Request {
	post := func(path, ctype, body string, h http.Header, out any) {
		req, _ := http.NewRequest("POST", url+path, strings.NewReader(body))
		req.Header = h.Clone()
		req.Header.Set("Content-Type", ctype)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			b.Fatal(err)
		}
	}
	var reg struct {
		ID     string `json:"client_id"`
		Secret string `json:"client_secret"`
	}
	st, _ := json.Marshal(map[string]string{"software_statement": string(srv.SoftwareStatement())})
	post("/o/client/register", "application/json", string(st), http.Header{}, &reg)
	var grant struct {
		AccessToken string `json:"access_token"`
	}
	form := neturl.Values{"client_id": {reg.ID}, "client_secret": {reg.Secret}, "grant_type": {"client_credentials"}}
	post("/o/client/token", "application/x-www-form-urlencoded", form.Encode(), http.Header{}, &grant)
	h := http.Header{"Authorization": {"Bearer " + grant.AccessToken}, "Ap-Device-Identifier": {"fingerprint " + client.NewDeviceKey()}, "X-Sso-Id": {"bench"}}
	var tok struct {
		ServiceToken string `json:"serviceToken"`
	}
	post("/api/demo/serviceToken", "application/json", "", h, &tok)
	req, _ := http.NewRequest("GET", url+"/api/demo/list", nil)
	req.Header = http.Header{"Authorization": h["Authorization"], "Ap-Device-Identifier": h["Ap-Device-Identifier"], "Ad-Service-Token": {tok.ServiceToken}}
	return req
}
