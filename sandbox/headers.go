package sandbox

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	errDeviceIDMissing = errors.New("AP-Device-Identifier is missing")
	errDeviceIDBad     = errors.New("AP-Device-Identifier is malformed")
	errDeviceInfoBad   = errors.New("X-Device-Info is malformed")
	errDeviceInfoField = errors.New("an X-Device-Info field is too long or holds control characters")
)

// maxAttribute bounds each device attribute the list shows, in bytes.
const maxAttribute = 256

// maxDeviceKey bounds a device key; a SHA-256 in Base64 is 44 characters.
const maxDeviceKey = 512

// parseDeviceIdentifier reads "fingerprint <standard Base64>" and returns the payload
// as sent: it is the device's key everywhere.
func parseDeviceIdentifier(h string) (string, error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return "", errDeviceIDMissing
	}
	scheme, payload, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "fingerprint") {
		return "", errDeviceIDBad
	}
	payload = strings.TrimSpace(payload)
	if payload == "" || len(payload) > maxDeviceKey {
		return "", errDeviceIDBad
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(payload)
	if err != nil || len(raw) == 0 {
		return "", errDeviceIDBad
	}
	return payload, nil
}

// deviceAttributes are what the list shows of a device.
type deviceAttributes struct {
	HardwareType string
	Model        string
	Manufacturer string
	OS           string
	OSVersion    string
	UserAgent    string
}

// parseDeviceInfo decodes X-Device-Info (Base64 of a JSON object; padding and the URL
// alphabet are tolerated). An empty header gives empty attributes.
func parseDeviceInfo(h string) (deviceAttributes, error) {
	var a deviceAttributes
	h = strings.TrimSpace(h)
	if h == "" {
		return a, nil
	}
	if len(h) > maxHeaderBytes {
		return a, errDeviceInfoBad
	}
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err = enc.DecodeString(h); err == nil {
			break
		}
	}
	if err != nil {
		return a, errDeviceInfoBad
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return a, errDeviceInfoBad
	}
	bad := false
	str := func(key string) string {
		switch v := fields[key].(type) {
		case string:
			v = strings.TrimSpace(v)
			if !printableAttribute(v) {
				bad = true
			}
			return v
		case float64, bool:
			return fmt.Sprint(v)
		}
		return ""
	}
	a.HardwareType = str("primaryHardwareType")
	a.Model = str("model")
	a.Manufacturer = cmp.Or(str("manufacturer"), str("vendor"))
	a.OS = str("osName")
	a.OSVersion = str("osVersion")
	a.UserAgent = str("userAgent")
	if bad {
		return deviceAttributes{}, errDeviceInfoField
	}
	return a, nil
}

// printableAttribute says whether v may be kept as a device attribute: at most
// maxAttribute bytes of valid UTF-8 without control characters (C0, DEL, C1) or
// the format characters that reorder or break a line (bidi controls, U+2028/9),
// which would reach every member's terminal through the list.
func printableAttribute(v string) bool {
	if len(v) > maxAttribute || !utf8.ValidString(v) {
		return false
	}
	return strings.IndexFunc(v, unshowable) < 0
}

// unshowable is a rune no member's list may carry: a control, or a format character
// that changes how the text around it is drawn.
func unshowable(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r < 0xa0:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true // bidi marks, embeddings, overrides and isolates
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// clip keeps a User-Agent (which the list shows, and which a client sends without
// asking, so it is cleaned rather than refused) to a size a list can show, without
// the runes printableAttribute refuses.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if unshowable(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	s = strings.TrimSpace(s)
	if len(s) > maxAttribute {
		s = strings.ToValidUTF8(s[:maxAttribute], "")
	}
	return s
}

// merge fills what a left empty from b: explicit X-Device-Info values win over what
// the User-Agent suggests.
func (a deviceAttributes) merge(b deviceAttributes) deviceAttributes {
	a.HardwareType = cmp.Or(a.HardwareType, b.HardwareType)
	a.Model = cmp.Or(a.Model, b.Model)
	a.Manufacturer = cmp.Or(a.Manufacturer, b.Manufacturer)
	a.OS = cmp.Or(a.OS, b.OS)
	a.OSVersion = cmp.Or(a.OSVersion, b.OSVersion)
	a.UserAgent = cmp.Or(a.UserAgent, b.UserAgent)
	return a
}

// uaRule recognises one platform in a User-Agent.
type uaRule struct {
	match        *regexp.Regexp // group 1, when present, is the OS version
	os           string
	hardware     string
	manufacturer string
	// needs is words every match contains (the regexp's literal prefix, and any
	// given): a User-Agent without one is passed over without running the regexp,
	// which cost up to 4 µs a rule on a long User-Agent.
	needs []string
	// later, when set, is words of which one must follow the match. Written into
	// the regexp as .*(?:TV|…), they made it backtrack over the rest of the string:
	// 6 µs on a Fire TV's User-Agent, as long as the rest of a POST serviceToken.
	later []string
}

func newUARule(pattern, os, hardware, manufacturer string) uaRule {
	r := uaRule{match: regexp.MustCompile(pattern), os: os, hardware: hardware, manufacturer: manufacturer}
	if p, _ := r.match.LiteralPrefix(); p != "" {
		r.needs = []string{p}
	}
	return r
}

func (r uaRule) needing(words ...string) uaRule {
	r.needs = append(r.needs, words...)
	return r
}

func (r uaRule) followedBy(words ...string) uaRule {
	r.later = words
	return r
}

// matchIn is the submatch indexes of r in ua, or nil. With later words, the
// leftmost match a word follows is the leftmost match: what follows a later match
// follows the first too.
func (r uaRule) matchIn(ua string) []int {
	for _, w := range r.needs {
		if !strings.Contains(ua, w) {
			return nil
		}
	}
	loc := r.match.FindStringSubmatchIndex(ua)
	if loc == nil || len(r.later) == 0 {
		return loc
	}
	for _, w := range r.later {
		if strings.Contains(ua[loc[1]:], w) {
			return loc
		}
	}
	return nil
}

// uaRules are tried in order; the first that matches wins, so the more specific come
// first (an Android TV says "Android" too).
var uaRules = []uaRule{
	newUARule(`iPhone.*?OS (\d+[_.\d]*)`, "iOS", "MobilePhone", "Apple"),
	newUARule(`iPad.*?OS (\d+[_.\d]*)`, "iPadOS", "Tablet", "Apple"),
	newUARule(`AppleTV.*?(?:OS |tvOS[/ ])(\d+[_.\d]*)`, "tvOS", "MediaPlayer", "Apple"),
	newUARule(`AppleTV()`, "tvOS", "MediaPlayer", "Apple"),
	newUARule(`Roku/DVP-(\d+[.\d]*)`, "Roku OS", "MediaPlayer", "Roku"),
	newUARule(`Roku()`, "Roku OS", "MediaPlayer", "Roku"),
	newUARule(`Tizen ?(\d+[.\d]*)?`, "Tizen", "TV", "Samsung"),
	// Two rules, not Web0S|webOS: an alternation has no literal prefix to look for,
	// and ran over every User-Agent at 4 µs.
	newUARule(`Web0S`, "webOS", "TV", "LG"),
	newUARule(`webOS`, "webOS", "TV", "LG"),
	newUARule(`AFT\w+.*?Android (\d+[.\d]*)|Android (\d+[.\d]*).*?AFT`, "Fire OS", "MediaPlayer", "Amazon").needing("AFT", "Android "),
	newUARule(`Android (\d+[.\d]*)`, "Android", "TV", "").followedBy("TV", "BRAVIA", "SHIELD"),
	newUARule(`Android (\d+[.\d]*)`, "Android", "MobilePhone", "").followedBy("Mobile"),
	newUARule(`Android (\d+[.\d]*)`, "Android", "Tablet", ""),
	newUARule(`CrOS \S+ (\d+[.\d]*)`, "ChromeOS", "Desktop", "Google"),
	newUARule(`Windows NT (\d+[.\d]*)`, "Windows", "Desktop", "Microsoft"),
	newUARule(`Mac OS X (\d+[_.\d]*)`, "macOS", "Desktop", "Apple"),
	newUARule(`Linux()`, "Linux", "Desktop", ""),
}

// fromUserAgent reads what it can of a User-Agent: OS, version, hardware, maker.
func fromUserAgent(ua string) deviceAttributes {
	ua = clip(ua)
	a := deviceAttributes{UserAgent: ua}
	if ua == "" {
		return a
	}
	for _, r := range uaRules {
		loc := r.matchIn(ua)
		if loc == nil {
			continue
		}
		a.OS, a.HardwareType, a.Manufacturer = r.os, r.hardware, r.manufacturer
		for g := 2; g+1 < len(loc); g += 2 { // the first group that matched something
			if loc[g] >= 0 && loc[g+1] > loc[g] {
				a.OSVersion = strings.ReplaceAll(ua[loc[g]:loc[g+1]], "_", ".")
				break
			}
		}
		break
	}
	return a
}

// The request headers the SSO calls read, in the canonical form net/http stores them
// under. Header.Get canonicalises its argument on every call, and the seed's own
// spellings (AD-Service-Token, X-SSO-ID) are not canonical, so it allocated a new key
// each time; header reads the map directly.
const (
	hdrServiceToken = "Ad-Service-Token"
	hdrDeviceID     = "Ap-Device-Identifier"
	hdrDeviceInfo   = "X-Device-Info"
	hdrSSOID        = "X-Sso-Id"
	hdrSSOLink      = "X-Sso-Link"
	hdrUserAgent    = "User-Agent"
)

// header is r's first value of the canonical header name, as Header.Get.
func header(r *http.Request, canonical string) string {
	if v := r.Header[canonical]; len(v) > 0 {
		return v[0]
	}
	return ""
}
