package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// errNoKeysToUnlink refuses an unlink of nothing before anything is sent.
var errNoKeysToUnlink = &InputError{Msg: "Name at least one device to unlink, by its key from the device list."}

// ListDevices is GET /api/{sp}/list: the devices of the caller's profile.
func (c *Client) ListDevices(ctx context.Context, sp string, dev DeviceHeaders, serviceToken string) (*DeviceList, error) {
	if err := checkSP(sp); err != nil {
		return nil, err
	}
	h := deviceHeader(dev)
	h.Set("AD-Service-Token", serviceToken)
	var out DeviceList
	raw, err := c.doRaw(ctx, call{method: http.MethodGet, path: "/api/" + sp + "/list", header: h, auth: true, serviceToken: true}, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = raw
	if out.Devices == nil {
		out.Devices = map[string]DeviceEntry{}
	}
	return &out, nil
}

// UnlinkDevices is POST /api/{sp}/unlink. The answer lists only the keys that were in
// the caller's profile.
func (c *Client) UnlinkDevices(ctx context.Context, sp string, dev DeviceHeaders, serviceToken string, keys []string) (*UnlinkResult, error) {
	if err := checkSP(sp); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, errNoKeysToUnlink
	}
	body, err := json.Marshal(map[string][]string{"devices": keys})
	if err != nil {
		return nil, err
	}
	if len(body) > maxRequestBody {
		return nil, &InputError{Msg: fmt.Sprintf("Too many devices to unlink at once (%d): unlink them in smaller groups.", len(keys))}
	}
	h := deviceHeader(dev)
	h.Set("AD-Service-Token", serviceToken)
	var out UnlinkResult
	cl := call{method: http.MethodPost, path: "/api/" + sp + "/unlink", header: h, body: body, ctype: "application/json", auth: true, serviceToken: true}
	raw, err := c.doRaw(ctx, cl, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = raw
	if out.UnlinkedDevices == nil {
		out.UnlinkedDevices = []string{}
	}
	return &out, nil
}
