package authn

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func TestSelectFormat(t *testing.T) {
	for _, tc := range []struct {
		path, format, accept string
		want                 Format
	}{
		{"/api/v1/tokens/authn", "", "", XML},
		{"/api/v1/tokens/authn", "", "*/*", XML},
		{"/api/v1/tokens/authn", "", "text/html", XML},
		{"/api/v1/tokens/authn", "", "application/json", JSON},
		{"/api/v1/tokens/authn", "", "application/json; charset=utf-8", JSON},
		{"/api/v1/tokens/authn", "", "application/xml", XML},
		{"/api/v1/tokens/authn", "", "text/xml", XML},
		{"/api/v1/tokens/authn", "", "application/xml;q=0.5, application/json", JSON},
		{"/api/v1/tokens/authn", "", "application/json;q=0.2, text/xml;q=0.9", XML},
		{"/api/v1/tokens/authn", "", "application/json, application/xml", JSON},
		{"/api/v1/tokens/authn", "", "application/json;q=0", XML},
		{"/api/v1/tokens/authn", "", "application/json;q=nope", XML},
		{"/api/v1/tokens/authn", "", "text/html, application/problem+json", JSON},
		{"/api/v1/tokens/authn", "json", "", JSON},
		{"/api/v1/tokens/authn", " JSON ", "application/xml", JSON},
		{"/api/v1/tokens/authn", "xml", "application/json", XML},
		{"/api/v1/tokens/authn", "yaml", "application/json", JSON},
		{"/api/v1/tokens/authn.json", "xml", "application/xml", JSON},
		{"/api/v1/tokens/authn.xml", "json", "application/json", XML},
	} {
		if got := SelectFormat(tc.path, tc.format, tc.accept); got != tc.want {
			t.Errorf("SelectFormat(%q, %q, %q) = %v, want %v", tc.path, tc.format, tc.accept, got, tc.want)
		}
	}
}

var sample = Authentication{Requestor: "demo", MVPD: "Comcast_SSO", UserID: `u<1>&"2"`,
	Expires: time.UnixMilli(1601114932000)}

func TestRenderJSON(t *testing.T) {
	body := Render(JSON, sample)
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	want := map[string]any{"requestor": "demo", "mvpd": "Comcast_SSO", "userId": `u<1>&"2"`, "expires": "1601114932000"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	if JSON.ContentType() != "application/json; charset=utf-8" {
		t.Errorf("content type %q", JSON.ContentType())
	}
}

func TestRenderXML(t *testing.T) {
	body := Render(XML, sample)
	if !bytes.HasPrefix(body, []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`)) {
		t.Fatalf("missing the seed's declaration:\n%s", body)
	}
	var got struct {
		XMLName   xml.Name `xml:"authentication"`
		Expires   string   `xml:"expires"`
		UserID    string   `xml:"userId"`
		MVPD      string   `xml:"mvpd"`
		Requestor string   `xml:"requestor"`
	}
	if err := xml.Unmarshal(body, &got); err != nil {
		t.Fatalf("not XML: %v\n%s", err, body)
	}
	if got.Expires != "1601114932000" || got.UserID != sample.UserID || got.MVPD != "Comcast_SSO" || got.Requestor != "demo" {
		t.Fatalf("got %+v", got)
	}
	var order []string
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			order = append(order, se.Name.Local)
		}
	}
	if strings.Join(order, ",") != "authentication,expires,userId,mvpd,requestor" {
		t.Fatalf("element order %v differs from the seed", order)
	}
}

func TestRenderCodedError(t *testing.T) {
	e := Error{Status: 401, Code: "invalid_access_token_client_application", Message: "no token", Action: "get_new_token"}
	var j map[string]any
	if err := json.Unmarshal(RenderError(JSON, e), &j); err != nil || j["code"] != e.Code || j["action"] != e.Action || j["status"] != 401.0 {
		t.Fatalf("JSON %v (%v)", j, err)
	}
	var x struct {
		Status int    `xml:"status"`
		Code   string `xml:"code"`
		Action string `xml:"action"`
	}
	if err := xml.Unmarshal(RenderError(XML, e), &x); err != nil || x.Code != e.Code || x.Action != e.Action || x.Status != 401 {
		t.Fatalf("XML %+v (%v)", x, err)
	}
	if strings.Contains(string(NotFound(JSON)), "code") || strings.Contains(string(NotFound(XML)), "<code>") {
		t.Fatal("the seed's 404 gained fields")
	}
}

func TestRenderErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		json    []byte
		xml     []byte
		status  int
		jsonMsg string
		xmlMsg  string
	}{
		{"not found", NotFound(JSON), NotFound(XML), 404, "Not Found", "Not found"},
		{"expired", Expired(JSON), Expired(XML), 410, "Authentication token expired", "Authentication token expired"},
		{"bad request", BadRequest(JSON, "requestor is required"), BadRequest(XML, "requestor is required"), 400,
			"requestor is required", "requestor is required"},
	} {
		var j struct {
			Status  int    `json:"status"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(tc.json, &j); err != nil || j.Status != tc.status || j.Message != tc.jsonMsg {
			t.Errorf("%s JSON = %+v (%v)\n%s", tc.name, j, err, tc.json)
		}
		var x struct {
			XMLName xml.Name `xml:"error"`
			Status  int      `xml:"status"`
			Message string   `xml:"message"`
		}
		if err := xml.Unmarshal(tc.xml, &x); err != nil || x.Status != tc.status || x.Message != tc.xmlMsg {
			t.Errorf("%s XML = %+v (%v)\n%s", tc.name, x, err, tc.xml)
		}
	}
}

// FuzzFormatSelection checks the precedence rules on arbitrary input: a suffix always
// wins, then a recognised format parameter, and Accept decides only when both are silent.
func FuzzFormatSelection(f *testing.F) {
	f.Add("/api/v1/tokens/authn", "", "")
	f.Add("/api/v1/tokens/authn.json", "xml", "application/xml")
	f.Add("/api/v1/tokens/authn", "JSON", "*/*")
	f.Add("/api/v1/tokens/authn", "", "application/json;q=0.3, application/xml;q=0.4")
	f.Add("/x", "", `application/json; q="1"; x=`)
	f.Fuzz(func(t *testing.T, path, format, accept string) {
		got := SelectFormat(path, format, accept)
		if got != JSON && got != XML {
			t.Fatalf("unknown format %d", got)
		}
		switch p := strings.ToLower(strings.TrimSpace(format)); {
		case strings.HasSuffix(path, ".json"):
			if got != JSON {
				t.Fatalf(".json suffix gave %v", got)
			}
		case strings.HasSuffix(path, ".xml"):
			if got != XML {
				t.Fatalf(".xml suffix gave %v", got)
			}
		case p == "json" || p == "xml":
			if got.String() != p {
				t.Fatalf("format=%q gave %v", format, got)
			}
		case !strings.Contains(strings.ToLower(accept), "json"):
			if got != XML {
				t.Fatalf("nothing asked for JSON (Accept %q) but got JSON", accept)
			}
		}
		a := Authentication{Requestor: path, MVPD: format, UserID: accept, Expires: time.UnixMilli(1)}
		body := Render(got, a)
		if got == JSON && !json.Valid(body) {
			t.Fatalf("invalid JSON body %q", body)
		}
		if got == XML {
			if err := xml.Unmarshal(body, new(struct{})); err != nil {
				t.Fatalf("invalid XML body: %v\n%q", err, body)
			}
		}
	})
}

func TestAcceptable(t *testing.T) {
	for accept, want := range map[string]bool{
		"":                              true,
		"application/xml":               true,
		"application/json;q=0.5":        true,
		"text/xml":                      true,
		"application/vnd.api+json":      true,
		"*/*":                           true,
		"text/*;q=0.1":                  true,
		"text/html, application/*":      true,
		"text/plain":                    false,
		"image/png, text/html":          false,
		"application/json;q=0, */*;q=0": false,
		"application/xml;q=2":           false,
		"not a media type at all, ;;;":  false,
	} {
		if got := Acceptable(accept); got != want {
			t.Errorf("Acceptable(%q) = %v, want %v", accept, got, want)
		}
	}
}
