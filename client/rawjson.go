package client

import (
	"bytes"
	"encoding/json"
	"errors"
)

// WithDevice is what --json prints for a step: the API's answer as received (raw),
// with a "device" field naming the device that asked, added or replaced at the top
// level without re-encoding the rest, so unknown fields, key order and number forms
// stay as the server wrote them. When raw is empty (no call was made, or a result the
// client put together) v is encoded instead. The output is not yet terminal-safe:
// pass it through present.SafeJSON before printing.
func WithDevice(raw json.RawMessage, v any, device string) ([]byte, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		raw = b
	}
	name, err := json.Marshal(device)
	if err != nil {
		return nil, err
	}
	if !json.Valid(raw) {
		return nil, errors.New("client: the answer is not JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("client: the answer is not a JSON object")
	}
	empty := true
	start, end := -1, -1 // the span of the value of an existing "device"
	for dec.More() {
		empty = false
		key, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, err
		}
		if key == "device" {
			if start >= 0 {
				return nil, errors.New("client: the answer has two device fields")
			}
			end = int(dec.InputOffset())
			start = end - len(val)
		}
	}
	if start >= 0 {
		return bytes.Join([][]byte{raw[:start], name, raw[end:]}, nil), nil
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	closing := int(dec.InputOffset()) - 1
	field := append([]byte(`"device":`), name...)
	if !empty {
		field = append([]byte(","), field...)
	}
	return bytes.Join([][]byte{raw[:closing], field, raw[closing:]}, nil), nil
}
