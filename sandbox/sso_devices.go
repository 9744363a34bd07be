package sandbox

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
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
	var unlinked []string
	ok := s.batch(w, r, now, func(tx Tx) error {
		unlinked = []string{} // afresh on each run of the Batch
		d, err := s.callerSeen(tx, r, errTokenMissingUnlink, 0, now)
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

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	var me Device
	var devices []Device
	var version uint64
	var kept []byte
	ok := s.view(w, r, now, func(tx Tx) error {
		var err error
		version, kept = 0, nil // afresh on each run, as on Redis
		if me, err = s.caller(tx, r, errTokenMissingList, 0, now); err != nil {
			return err
		}
		// A caller about to be marked seen changes its profile's answer: only the
		// others may use or keep one. Only a profile with an answer kept, or a large
		// one, reads its version; a kept answer is never at version 0.
		keeps := !stale(me, now)
		if k, ok := s.lists.kept(me.ProfileID); keeps && ok {
			if version, err = tx.DevicesVersion(me.ProfileID); err != nil {
				return err
			}
			if k.version == version {
				kept = k.body
				return nil
			}
		}
		if devices, err = tx.Devices(me.ProfileID); err != nil {
			return err
		}
		if keeps && version == 0 && len(devices) >= minKeptDevices {
			version, err = tx.DevicesVersion(me.ProfileID)
		}
		return err
	})
	if !ok {
		return
	}
	if kept != nil {
		writeRawJSON(w, http.StatusOK, kept)
		return
	}
	s.markSeen(&me, now)
	buf := listBodies.Get().(*[]byte)
	body := appendListBody((*buf)[:0], devices, me)
	switch {
	case len(devices) >= minKeptDevices:
		s.lists.keep(me.ProfileID, version, body) // 0 when the caller was seen: nothing kept
	case version != 0: // a kept profile that has shrunk
		s.lists.drop(me.ProfileID)
	}
	writeRawJSON(w, http.StatusOK, body)
	if cap(body) <= maxPooledListBody { // net/http has copied or sent it
		*buf = body
		listBodies.Put(buf)
	}
}

// listBodies keeps the list's answer buffers: a profile of 1,000 devices answers
// 190 kB, which a fresh buffer per call cleared, then left to the collector.
var listBodies = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// maxPooledListBody is the largest buffer kept, so that one huge profile does not
// pin its buffer in every pool slot.
const maxPooledListBody = 1 << 20

// appendListBody writes the list's answer, {"devices":{key:entry,…}}, in one pass,
// in the order of the keys (which Tx.Devices gives): encoding/json would marshal a
// map by reflection and sort its keys again. me is the caller, as markSeen left it.
func appendListBody(b []byte, devices []Device, me Device) []byte {
	b = append(b, `{"devices":{`...)
	for i, d := range devices {
		if d.Key == me.Key {
			d.LastSeen = me.LastSeen
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, d.Key)
		b = append(b, `:{"deviceType":"`...)
		b = append(b, listDeviceType(d.HardwareType)...) // a word of ours, plain
		b = append(b, `","model":`...)
		b = appendJSONString(b, d.Model)
		b = append(b, `,"os":`...)
		b = appendJSONString(b, d.OS)
		b = append(b, `,"osVersion":`...)
		b = appendJSONString(b, d.OSVersion)
		b = append(b, `,"manufacturer":`...)
		b = appendJSONString(b, d.Manufacturer)
		b = append(b, `,"userAgent":`...)
		b = appendJSONString(b, d.UserAgent)
		b = append(b, `,"lastSeen":`...)
		b = strconv.AppendInt(b, d.LastSeen.UnixMilli(), 10)
		b = append(b, `,"type":`...)
		b = appendJSONString(b, d.Type)
		b = append(b, '}')
	}
	return append(b, "}}"...)
}

// listDeviceType maps X-Device-Info's primaryHardwareType to the seed sample's
// deviceType vocabulary (spec §3 List, correction 2026-12). A switch, not a map: the
// list of 1,000 devices looks it up 1,000 times.
func listDeviceType(hardware string) string {
	switch hardware {
	case "MobilePhone":
		return "mobile"
	case "Tablet":
		return "tablet"
	case "TV":
		return "smartTV"
	case "SetTopBox":
		return "setTopBox"
	case "MediaPlayer":
		return "mediaPlayer"
	case "GamesConsole":
		return "gamesConsole"
	case "Desktop":
		return "desktop"
	}
	return "unknown"
}
