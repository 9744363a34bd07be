package authn

import (
	"encoding/xml"
	"time"
)

// The legacy registration code (POST /reggie/v1/{requestor}/regcode): the code a TV
// shows, in the same two formats as the authentication token.

// Regcode is a registration code as the v1 call shows it.
type Regcode struct {
	ID              string
	Code            string
	Requestor       string
	MVPD            string
	Generated       time.Time
	Expires         time.Time
	DeviceID        string
	DeviceType      string
	RegistrationURL string // where the person activates it
}

type regcodeInfo struct {
	DeviceID        string `json:"deviceId" xml:"deviceId"`
	DeviceType      string `json:"deviceType,omitempty" xml:"deviceType,omitempty"`
	RegistrationURL string `json:"registrationURL" xml:"registrationURL"`
}

// regcodeBody is both formats: generated and expires are epoch milliseconds, numbers
// in JSON as in the public samples.
type regcodeBody struct {
	XMLName   xml.Name    `json:"-" xml:"regcode"`
	ID        string      `json:"id" xml:"id"`
	Code      string      `json:"code" xml:"code"`
	Requestor string      `json:"requestor" xml:"requestor"`
	MVPD      string      `json:"mvpd" xml:"mvpd"`
	Generated int64       `json:"generated" xml:"generated"`
	Expires   int64       `json:"expires" xml:"expires"`
	Info      regcodeInfo `json:"info" xml:"info"`
}

// RenderRegcode writes the 201 body of a registration code.
func RenderRegcode(f Format, r Regcode) []byte {
	b := regcodeBody{ID: r.ID, Code: r.Code, Requestor: r.Requestor, MVPD: r.MVPD,
		Generated: r.Generated.UnixMilli(), Expires: r.Expires.UnixMilli(),
		Info: regcodeInfo{DeviceID: r.DeviceID, DeviceType: r.DeviceType, RegistrationURL: r.RegistrationURL}}
	if f == JSON {
		return mustJSON(b)
	}
	return mustXML(b)
}
