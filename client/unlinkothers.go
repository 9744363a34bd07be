package client

import (
	"context"
	"encoding/json"
	"slices"
)

// UnlinkOthers unlinks every device of the profile but this one (unlink
// --all-others): it lists the profile, then unlinks the others in as few calls as
// the request cap allows, however long the list. The result's UnlinkedDevices holds
// every device unlinked; its Raw is the one answer as received, or, over several
// calls, {"status":"OK","unlinkedDevices":[…],"batches":[each answer as received]}.
// With no other device it makes no unlink call and its Raw is nil.
func (d *Device) UnlinkOthers(ctx context.Context) (*UnlinkResult, error) {
	list, err := d.Devices(ctx)
	if err != nil {
		return nil, err
	}
	var others []string
	for k := range list.Devices {
		if k != d.headers.Key {
			others = append(others, k)
		}
	}
	slices.Sort(others)
	out := &UnlinkResult{Status: "OK", UnlinkedDevices: []string{}}
	var raws []json.RawMessage
	for _, batch := range unlinkBatches(others, maxRequestBody) {
		res, err := withServiceToken(ctx, d, func(tok string) (*UnlinkResult, error) {
			return d.client.UnlinkDevices(ctx, d.sp, d.headers, tok, batch)
		})
		if err != nil {
			return nil, err
		}
		out.UnlinkedDevices = append(out.UnlinkedDevices, res.UnlinkedDevices...)
		raws = append(raws, res.Raw)
	}
	switch len(raws) {
	case 0:
	case 1:
		out.Raw = raws[0]
	default:
		out.Raw, err = json.Marshal(struct {
			Status          string            `json:"status"`
			UnlinkedDevices []string          `json:"unlinkedDevices"`
			Batches         []json.RawMessage `json:"batches"`
		}{out.Status, out.UnlinkedDevices, raws})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// unlinkBatches splits keys into groups whose unlink body {"devices":[…]} stays
// within limit bytes.
func unlinkBatches(keys []string, limit int) [][]string {
	const envelope = len(`{"devices":[]}`)
	var out [][]string
	var cur []string
	size := envelope
	for _, k := range keys {
		q, _ := json.Marshal(k)
		n := len(q) + 1 // and its comma
		if len(cur) > 0 && size+n > limit {
			out = append(out, cur)
			cur, size = nil, envelope
		}
		cur = append(cur, k)
		size += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
