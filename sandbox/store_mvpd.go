package sandbox

import "time"

// The records of the TV provider sign-in (§4) and of the platform identity (§6). Their
// Tx methods sit with the others in the Tx interface; both drivers implement them in
// their own *_mvpd.go file.

// MVPDLogin is a TV provider sign-in in progress (POST sessions → the MVPD login
// page), known only by the keyed hash of its code: the code is in the page's URL and
// never at rest.
type MVPDLogin struct {
	Hash            string    `json:"hash"`
	SessionID       string    `json:"sessionId"`
	ProfileID       string    `json:"profileId"`
	DeviceKey       string    `json:"deviceKey"` // the device that started it
	ServiceProvider string    `json:"serviceProvider"`
	MVPD            string    `json:"mvpd"`
	NotBefore       time.Time `json:"notBefore"`
	NotAfter        time.Time `json:"notAfter"`
}

// MVPDAuth is a profile's TV provider authentication: one per profile and MVPD.
// DeviceKey is the device that signed in: it sees the authentication as "regular",
// every other device of the profile as "serviceTokenSSO".
type MVPDAuth struct {
	ProfileID       string    `json:"profileId"`
	MVPD            string    `json:"mvpd"`
	UserID          string    `json:"userId"`
	ServiceProvider string    `json:"serviceProvider"`
	DeviceKey       string    `json:"deviceKey"`
	NotBefore       time.Time `json:"notBefore"`
	NotAfter        time.Time `json:"notAfter"`
}

// PlatformSubscriber ties a platform's subscriber (a Roku account) to the SSO profile
// that every device of that subscriber joins under one service provider.
type PlatformSubscriber struct {
	Platform        string    `json:"platform"` // "roku"
	ServiceProvider string    `json:"serviceProvider"`
	Subscriber      string    `json:"subscriber"`
	ProfileID       string    `json:"profileId"`
	CreatedAt       time.Time `json:"createdAt"`
}
