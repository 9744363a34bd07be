package sandbox

import (
	"errors"
	"io"
	"net/http"
	"slices"
)

type unlinkRequest struct {
	Devices *[]string `json:"devices"`
}

type unlinkBody struct {
	Status          string   `json:"status"`
	UnlinkedDevices []string `json:"unlinkedDevices"`
}

// readUnlinkRequest reads the body of POST unlink, or says which catalogue error it is.
func readUnlinkRequest(r *http.Request) ([]string, *apiError) {
	if r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return nil, errRequestNull
	}
	if !isJSON(r) {
		return nil, errBadContentType
	}
	var req *unlinkRequest
	if err := decodeJSON(r, &req); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return nil, errBodyTooLarge
		case errors.Is(err, io.EOF):
			return nil, errRequestNull
		}
		return nil, errBadJSON
	}
	if req == nil {
		return nil, errRequestNull
	}
	if req.Devices == nil || len(*req.Devices) == 0 {
		return nil, errNoDevices
	}
	return *req.Devices, nil
}

func (s *Server) handleUnlink(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	keys, bodyErr := readUnlinkRequest(r)
	unlinked := []string{}
	ok := s.transact(w, r, now, func(tx Tx) error {
		d, err := s.caller(tx, r, errTokenMissingUnlink, 0, now)
		if err != nil {
			return err
		}
		if bodyErr != nil {
			return refusal{bodyErr}
		}
		for _, k := range keys {
			if slices.Contains(unlinked, k) {
				continue
			}
			if _, err := tx.Device(d.ProfileID, k); errors.Is(err, ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			if err := tx.DeleteDevice(d.ProfileID, k); err != nil {
				return err
			}
			unlinked = append(unlinked, k)
		}
		return nil
	})
	if ok {
		writeJSON(w, http.StatusOK, unlinkBody{Status: "OK", UnlinkedDevices: unlinked})
	}
}

type listEntry struct {
	DeviceType   string `json:"deviceType"`
	Model        string `json:"model"`
	OS           string `json:"os"`
	OSVersion    string `json:"osVersion"`
	Manufacturer string `json:"manufacturer"`
	UserAgent    string `json:"userAgent"`
	LastSeen     int64  `json:"lastSeen"`
	Type         string `json:"type"`
}

type listBody struct {
	Devices map[string]listEntry `json:"devices"`
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	var out listBody
	ok := s.transact(w, r, now, func(tx Tx) error {
		d, err := s.caller(tx, r, errTokenMissingList, 0, now)
		if err != nil {
			return err
		}
		devices, err := tx.Devices(d.ProfileID)
		if err != nil {
			return err
		}
		out.Devices = make(map[string]listEntry, len(devices))
		for _, d := range devices {
			out.Devices[d.Key] = listEntry{
				DeviceType: listDeviceType(d.HardwareType), Model: d.Model, OS: d.OS, OSVersion: d.OSVersion,
				Manufacturer: d.Manufacturer, UserAgent: d.UserAgent, LastSeen: d.LastSeen.UnixMilli(), Type: d.Type,
			}
		}
		return nil
	})
	if ok {
		writeJSON(w, http.StatusOK, out)
	}
}

// listDeviceTypes maps X-Device-Info's primaryHardwareType to the seed sample's
// deviceType vocabulary (spec §3 List, correction 2026-12).
var listDeviceTypes = map[string]string{
	"MobilePhone":  "mobile",
	"Tablet":       "tablet",
	"TV":           "smartTV",
	"SetTopBox":    "setTopBox",
	"MediaPlayer":  "mediaPlayer",
	"GamesConsole": "gamesConsole",
	"Desktop":      "desktop",
}

func listDeviceType(hardware string) string {
	if t, ok := listDeviceTypes[hardware]; ok {
		return t
	}
	return "unknown"
}
