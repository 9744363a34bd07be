package sandbox

import (
	"net/http"
	"net/textproto"
	"testing"
)

// header reads the map directly, so a name that is not canonical would never match.
func TestHeaderNamesAreCanonical(t *testing.T) {
	for _, name := range []string{hdrServiceToken, hdrDeviceID, hdrDeviceInfo, hdrSSOID, hdrSSOLink, hdrUserAgent} {
		if c := textproto.CanonicalMIMEHeaderKey(name); c != name {
			t.Errorf("%q is not canonical: %q", name, c)
		}
	}
	r, _ := http.NewRequest("GET", "/", nil)
	r.Header.Set("AD-Service-Token", "a")
	r.Header.Set("x-sso-id", "b")
	if got := header(r, hdrServiceToken) + header(r, hdrSSOID) + header(r, hdrSSOLink); got != "ab" {
		t.Errorf("header read %q, want %q", got, "ab")
	}
}
