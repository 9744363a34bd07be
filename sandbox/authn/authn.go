// Package authn renders the legacy REST v1 authentication-token call (seed 004,
// GET /api/v1/tokens/authn): it picks JSON or XML from what the request says, and
// writes the success body and the small error bodies in that format.
package authn

import (
	"encoding/json"
	"encoding/xml"
	"mime"
	"strconv"
	"strings"
	"time"
)

// Format is the body format of a v1 answer.
type Format int

const (
	// XML is the default when the request says nothing.
	XML Format = iota
	JSON
)

// ContentType is the Content-Type header for the format.
func (f Format) ContentType() string {
	if f == JSON {
		return "application/json; charset=utf-8"
	}
	return "application/xml; charset=utf-8"
}

func (f Format) String() string {
	if f == JSON {
		return "json"
	}
	return "xml"
}

// SelectFormat picks the format from, most explicit first: a ".json"/".xml" suffix on
// the path, the format query parameter ("json" or "xml", any case), then the Accept
// header (the JSON or XML media type with the highest q; ties go to the first listed).
// Anything else says nothing, and nothing said means XML, as the seed's service does.
func SelectFormat(path, formatParam, accept string) Format {
	switch {
	case strings.HasSuffix(path, ".json"):
		return JSON
	case strings.HasSuffix(path, ".xml"):
		return XML
	}
	switch strings.ToLower(strings.TrimSpace(formatParam)) {
	case "json":
		return JSON
	case "xml":
		return XML
	}
	if f, ok := fromAccept(accept); ok {
		return f
	}
	return XML
}

// maxAcceptParts bounds the work on a hostile Accept header.
const maxAcceptParts = 32

func fromAccept(accept string) (Format, bool) {
	var (
		best  Format
		bestQ = 0.0
		found bool
	)
	for i, part := range strings.Split(accept, ",") {
		if i == maxAcceptParts {
			break
		}
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		var f Format
		switch {
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			f = JSON
		case mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"):
			f = XML
		default:
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < 0 || v > 1 {
				continue
			}
			q = v
		}
		if q > bestQ {
			best, bestQ, found = f, q, true
		}
	}
	return best, found
}

// Acceptable says whether an Accept header value (empty: anything) allows JSON or XML,
// named or through a wildcard, with a q above zero.
func Acceptable(accept string) bool {
	if strings.TrimSpace(accept) == "" {
		return true
	}
	if _, ok := fromAccept(accept); ok {
		return true
	}
	for i, part := range strings.Split(accept, ",") {
		if i == maxAcceptParts {
			break
		}
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || (mt != "*/*" && mt != "application/*" && mt != "text/*") {
			continue
		}
		if q, err := strconv.ParseFloat(params["q"], 64); params["q"] == "" || err == nil && q > 0 && q <= 1 {
			return true
		}
	}
	return false
}

// Authentication is a profile's MVPD authentication as the v1 call shows it.
type Authentication struct {
	Requestor string
	MVPD      string
	UserID    string
	Expires   time.Time
}

type jsonAuthn struct {
	Requestor string `json:"requestor"`
	MVPD      string `json:"mvpd"`
	UserID    string `json:"userId"`
	Expires   string `json:"expires"`
}

// xmlAuthn keeps the seed's element order, which differs from the JSON one.
type xmlAuthn struct {
	XMLName   xml.Name `xml:"authentication"`
	Expires   string   `xml:"expires"`
	UserID    string   `xml:"userId"`
	MVPD      string   `xml:"mvpd"`
	Requestor string   `xml:"requestor"`
}

// declaration is the seed's XML declaration, standalone included.
const declaration = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// Render writes the 200 body: expires is epoch milliseconds as a string in both formats.
func Render(f Format, a Authentication) []byte {
	ms := strconv.FormatInt(a.Expires.UnixMilli(), 10)
	if f == JSON {
		return mustJSON(jsonAuthn{Requestor: a.Requestor, MVPD: a.MVPD, UserID: a.UserID, Expires: ms})
	}
	return mustXML(xmlAuthn{Expires: ms, UserID: a.UserID, MVPD: a.MVPD, Requestor: a.Requestor})
}

// Error is a v1 error body. Code and Action are the enhanced error fields and are
// written only when set (the access-token refusal, which a client must tell apart),
// so that the seed's 404 stays exactly {"status","message"}.
type Error struct {
	Status  int
	Code    string
	Message string
	Action  string
}

type jsonError struct {
	Status  int    `json:"status"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
	Action  string `json:"action,omitempty"`
}

type xmlError struct {
	XMLName xml.Name `xml:"error"`
	Status  int      `xml:"status"`
	Code    string   `xml:"code,omitempty"`
	Message string   `xml:"message"`
	Action  string   `xml:"action,omitempty"`
}

// RenderError writes the small error shape of the v1 API.
func RenderError(f Format, e Error) []byte {
	if f == JSON {
		return mustJSON(jsonError(e))
	}
	return mustXML(xmlError{Status: e.Status, Code: e.Code, Message: e.Message, Action: e.Action})
}

// NotFound is the seed's 404 body: the device has no authentication. The seed's own
// wording differs by format, and this keeps it.
func NotFound(f Format) []byte {
	if f == JSON {
		return RenderError(f, Error{Status: 404, Message: "Not Found"})
	}
	return RenderError(f, Error{Status: 404, Message: "Not found"})
}

// Expired is the 410 body: the profile's authentication has expired.
func Expired(f Format) []byte {
	return RenderError(f, Error{Status: 410, Message: "Authentication token expired"})
}

// BadRequest is the 400 body for a missing or malformed parameter.
func BadRequest(f Format, message string) []byte {
	return RenderError(f, Error{Status: 400, Message: message})
}

// mustJSON and mustXML marshal the structs above, made only of strings and ints:
// encoding/json cannot fail on them, and encoding/xml replaces characters XML cannot
// carry instead of failing, so the error is always nil.
func mustJSON(v any) []byte {
	b, _ := json.MarshalIndent(v, "", "    ")
	return append(b, '\n')
}

func mustXML(v any) []byte {
	b, _ := xml.MarshalIndent(v, "", "    ")
	return append(append([]byte(declaration), b...), '\n')
}
