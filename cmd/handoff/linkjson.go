package main

import (
	"bytes"
	"encoding/json"
	"errors"
)

// withLinkURL is POST link's answer as received with "linkUrl" (the URL the QR image
// carries) set at its top level: added before the closing brace, or its value
// replaced when the server sent one, the rest kept byte for byte as --json promises.
func withLinkURL(raw json.RawMessage, linkURL string) (json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	value, err := json.Marshal(linkURL)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("the answer is not a JSON object")
	}
	empty := true
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
		if key == "linkUrl" {
			end := int(dec.InputOffset())
			return bytes.Join([][]byte{raw[:end-len(val)], value, raw[end:]}, nil), nil
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	closing := int(dec.InputOffset()) - 1
	field := append([]byte(`"linkUrl":`), value...)
	if !empty {
		field = append([]byte(","), field...)
	}
	return bytes.Join([][]byte{raw[:closing], field, raw[closing:]}, nil), nil
}
