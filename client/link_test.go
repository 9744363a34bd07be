package client

import "testing"

func TestLinkURL(t *testing.T) {
	for _, tc := range []struct{ server, sp, code, want string }{
		{"http://127.0.0.1:8765", "demo", "123456", "http://127.0.0.1:8765/sandbox/link?code=123456"},
		{"http://127.0.0.1:8765/", "", "123456", "http://127.0.0.1:8765/sandbox/link?code=123456"},
		{"http://127.0.0.1:8765", "acme.tv", "123456", "http://127.0.0.1:8765/sandbox/link?code=123456&sp=acme.tv"},
		{"https://sso.example.com", "a_b-c", "123 456", "https://sso.example.com/sandbox/link?code=123+456&sp=a_b-c"},
	} {
		if got := LinkURL(tc.server, tc.sp, tc.code); got != tc.want {
			t.Errorf("LinkURL(%q, %q, %q) = %q, want %q", tc.server, tc.sp, tc.code, got, tc.want)
		}
	}
}
