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
	return SetField(raw, "device", device)
}

// SetField sets key to value at the top level of the JSON object raw: the value
// replaced when raw has the key, else the field added before the closing brace. The
// rest is kept byte for byte (unknown fields, key order, number forms, spacing), as
// --json promises. An object with the key twice is refused: which one a reader takes
// is not defined.
func SetField(raw json.RawMessage, key string, value any) ([]byte, error) {
	encoded, err := json.Marshal(value)
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
	start, end := -1, -1 // the span of the value of an existing key
	for dec.More() {
		empty = false
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, err
		}
		if k == key {
			if start >= 0 {
				return nil, errors.New("client: the answer has two " + key + " fields")
			}
			end = int(dec.InputOffset())
			start = end - len(val)
		}
	}
	if start >= 0 {
		return bytes.Join([][]byte{raw[:start], encoded, raw[end:]}, nil), nil
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	closing := int(dec.InputOffset()) - 1
	name, err := json.Marshal(key)
	if err != nil {
		return nil, err
	}
	field := append(append(name, ':'), encoded...)
	if !empty {
		field = append([]byte(","), field...)
	}
	return bytes.Join([][]byte{raw[:closing], field, raw[closing:]}, nil), nil
}
