package sandbox

import "time"

// The records of the second-screen sign-in (docs/second-screen.md): the code a TV
// shows, from a REST v2 session without a service token or from a legacy v1
// registration code. Their Tx methods sit with the others in the Tx interface; each
// driver implements them in its own *_activation.go file.

// Activation code kinds.
const (
	ActivationSession = "session" // REST v2 POST sessions, basic flow
	ActivationRegcode = "regcode" // legacy v1 POST /reggie/v1/{requestor}/regcode
)

// ActivationCode is a code a TV shows for a second screen to activate, known only by
// its keyed hash. ActivatedAt is set when a second screen starts the TV provider
// sign-in with it (in ProfileID, for DeviceKey, with MVPD); the sign-in is complete
// once that profile holds an authentication of that MVPD for that device made at or
// after ActivatedAt.
type ActivationCode struct {
	Hash            string    `json:"hash"`
	Kind            string    `json:"kind"`
	ID              string    `json:"id"` // the session id, or the regcode's id
	ServiceProvider string    `json:"serviceProvider"`
	DeviceKey       string    `json:"deviceKey"` // the TV that asked for it
	HardwareType    string    `json:"hardwareType,omitempty"`
	Model           string    `json:"model,omitempty"`
	Manufacturer    string    `json:"manufacturer,omitempty"`
	OS              string    `json:"os,omitempty"`
	OSVersion       string    `json:"osVersion,omitempty"`
	UserAgent       string    `json:"userAgent,omitempty"`
	MVPD            string    `json:"mvpd,omitempty"` // asked for by the TV, or chosen on the second screen
	NotBefore       time.Time `json:"notBefore"`
	NotAfter        time.Time `json:"notAfter"`
	ProfileID       string    `json:"profileId,omitempty"`
	ActivatedAt     time.Time `json:"activatedAt,omitzero"`
}
