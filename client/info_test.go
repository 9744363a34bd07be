package client

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestPublicServer: the sandbox's publicUrl when it offers one; the URL the client
// calls when the server has no /sandbox/info (a real server) or answers it badly;
// an error only when the server cannot be reached.
func TestPublicServer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter)
		want   PublicServer // URL "" stands for the server's own URL
		phone  string
	}{
		{"LAN URL offered", func(w http.ResponseWriter) {
			writeJSON(w, 200, map[string]any{"publicUrl": "http://192.0.2.1:8765/", "loopback": false, "lanUrl": "http://192.0.2.1:8765"})
		}, PublicServer{URL: "http://192.0.2.1:8765", Offered: true}, "http://192.0.2.1:8765/sandbox/phone?sp=acme"},
		{"loopback offered", func(w http.ResponseWriter) {
			writeJSON(w, 200, map[string]any{"publicUrl": "http://localhost:8765", "loopback": true})
		}, PublicServer{URL: "http://localhost:8765", Loopback: true, Offered: true}, "http://localhost:8765/sandbox/phone?sp=acme"},
		{"no such endpoint", func(w http.ResponseWriter) {
			writeJSON(w, 404, map[string]any{"status": "NOT_FOUND", "error": map[string]any{"status": 404, "code": "not_found"}})
		}, PublicServer{Loopback: true}, ""},
		{"publicUrl with a bidi override in its host", func(w http.ResponseWriter) {
			writeJSON(w, 200, map[string]any{"publicUrl": "http://evil\u202e.example"})
		}, PublicServer{Loopback: true}, ""},
		{"publicUrl that is not a base URL", func(w http.ResponseWriter) {
			writeJSON(w, 200, map[string]any{"publicUrl": "javascript:alert(1)"})
		}, PublicServer{Loopback: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet || r.URL.Path != "/sandbox/info" {
					t.Errorf("unexpected %s %s", r.Method, r.URL)
				}
				tc.answer(w)
			}))
			defer hs.Close()
			c, err := New(hs.URL, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.PublicServer(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want.URL == "" {
				want.URL = hs.URL
			}
			if got != want {
				t.Fatalf("PublicServer = %+v, want %+v", got, want)
			}
			if tc.phone != "" && got.PhoneURL("acme") != tc.phone {
				t.Errorf("PhoneURL = %q, want %q", got.PhoneURL("acme"), tc.phone)
			}
			if got.LinkURL("demo", "123456") != want.URL+"/sandbox/link?code=123456" {
				t.Errorf("LinkURL = %q", got.LinkURL("demo", "123456"))
			}
		})
	}
}

func TestPublicServerUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := New("http://"+addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PublicServer(context.Background()); !IsUnavailable(err) {
		t.Fatalf("PublicServer on a closed port = %v; want an unreachable error", err)
	}
}

func TestIsLoopbackURL(t *testing.T) {
	for u, want := range map[string]bool{
		"http://127.0.0.1:8765": true, "http://127.3.2.1": true, "http://[::1]:8765": true,
		"http://localhost:8765": true, "http://LOCALHOST.": true, "http://tv.localhost": true,
		"http://192.168.1.20:8765": false, "https://handoff.example.net": false, "http://[2001:db8::1]": false,
		"http://10.0.0.1": false, "::not a url": false,
	} {
		if got := IsLoopbackURL(u); got != want {
			t.Errorf("IsLoopbackURL(%q) = %v, want %v", u, got, want)
		}
	}
}
