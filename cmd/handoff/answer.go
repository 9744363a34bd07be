package main

import (
	"encoding/json"
	"io"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// printAnswer prints a step's success as step.ok does, with its JSON made
// terminal-safe: the answer as received (raw) or, when the client put it together, v
// encoded, with the device's name.
func (s *step) printAnswer(raw json.RawMessage, v any, human func(w io.Writer)) error {
	if !s.a.sf.json {
		human(s.a.e.stdout)
		return nil
	}
	obj, err := client.WithDevice(raw, v, s.device())
	if err != nil {
		return s.fail(&client.ProtocolError{Problem: "its answer could not be printed as JSON"})
	}
	_, _ = s.a.e.stdout.Write(append(present.SafeJSON(obj), '\n'))
	return nil
}
