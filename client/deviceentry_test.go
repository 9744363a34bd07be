package client

import (
	"encoding/json"
	"strings"
	"testing"
)

// The seed allows attribute values of any simple type; a server may add its own.
func TestDeviceEntryTypedAttributes(t *testing.T) {
	body := `{"devices":{
		"k1":{"deviceType":"mobile","model":"iPhone","os":"iOS","osVersion":18.1,"lastSeen":1623840000000,"type":"sso","jailbroken":false,"screen":{"w":1170,"h":2532},"tags":["a",1]},
		"k2":{"deviceType":null,"lastSeen":"1623830000000","osVersion":"5.0"},
		"k3":"not an object",
		"k4":{"lastSeen":1.6238e12}}}`
	var l DeviceList
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatal(err)
	}
	k1 := l.Devices["k1"]
	if k1.OSVersion != "18.1" || k1.Model != "iPhone" || k1.Type != "sso" || k1.LastSeen != 1623840000000 {
		t.Errorf("k1 = %+v", k1)
	}
	if k1.Text("jailbroken") != "false" || k1.Text("screen") != `{"w":1170,"h":2532}` || k1.Text("tags") != `["a",1]` {
		t.Errorf("unknown attributes: %q %q %q", k1.Text("jailbroken"), k1.Text("screen"), k1.Text("tags"))
	}
	if got := strings.Join(k1.Names(), ","); got != "deviceType,model,os,osVersion,lastSeen,type,jailbroken,screen,tags" {
		t.Errorf("Names = %s", got)
	}
	if k2 := l.Devices["k2"]; k2.DeviceType != "" || k2.LastSeen != 1623830000000 || k2.OSVersion != "5.0" {
		t.Errorf("k2 = %+v", k2)
	}
	if k3, ok := l.Devices["k3"]; !ok || len(k3.Attributes) != 0 {
		t.Errorf("k3 = %+v, %v: a device that is not an object stays in the list, empty", k3, ok)
	}
	if k4 := l.Devices["k4"]; k4.LastSeen != 1623800000000 {
		t.Errorf("k4 lastSeen = %d", k4.LastSeen)
	}
	// Encoded again, an entry is its attributes as received.
	out, err := json.Marshal(k1)
	if err != nil || !strings.Contains(string(out), `"osVersion":18.1`) || !strings.Contains(string(out), `"screen":{"w":1170,"h":2532}`) {
		t.Errorf("marshal = %s, %v", out, err)
	}
}

func TestWithDevice(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{`{"status":"OK","n":18.10,"x":{"device":"inner"}}`, `{"status":"OK","n":18.10,"x":{"device":"inner"},"device":"tv"}`},
		{` { "a" : 1e3 } `, ` { "a" : 1e3 ,"device":"tv"} `},
		{`{}`, `{"device":"tv"}`},
		{`{"device":"spoofed","b":2}`, `{"device":"tv","b":2}`},
		{`{"a":1,"device": {"deep":[1,2]} }`, `{"a":1,"device": "tv" }`},
	} {
		got, err := WithDevice(json.RawMessage(tc.raw), nil, "tv")
		if err != nil || string(got) != tc.want {
			t.Errorf("WithDevice(%s) = %s, %v; want %s", tc.raw, got, err, tc.want)
		}
		if !json.Valid(got) {
			t.Errorf("WithDevice(%s) is not JSON: %s", tc.raw, got)
		}
	}
	got, err := WithDevice(nil, &UnlinkResult{Status: "OK", UnlinkedDevices: []string{}}, "phone")
	if err != nil || string(got) != `{"status":"OK","unlinkedDevices":[],"device":"phone"}` {
		t.Errorf("fallback = %s, %v", got, err)
	}
	for _, bad := range []string{`[1]`, `"s"`, `{"a":1} {"b":2}`, `{"a":`} {
		if _, err := WithDevice(json.RawMessage(bad), nil, "tv"); err == nil {
			t.Errorf("WithDevice(%s) accepted", bad)
		}
	}
}

func TestUnlinkBatches(t *testing.T) {
	keys := make([]string, 5000)
	for i := range keys {
		keys[i] = NewDeviceKey()
	}
	batches := unlinkBatches(keys, maxRequestBody)
	n := 0
	for _, b := range batches {
		body, _ := json.Marshal(map[string][]string{"devices": b})
		if len(body) > maxRequestBody || len(b) == 0 {
			t.Fatalf("batch of %d keys is %d bytes", len(b), len(body))
		}
		n += len(b)
	}
	if n != len(keys) || len(batches) != 4 {
		t.Errorf("%d keys in %d batches", n, len(batches))
	}
}

func TestExplainEscapesServerText(t *testing.T) {
	e := &APIError{HTTPStatus: 400, Code: "weird", Message: "\x1b]52;c;cHduZWQ=\x07 \u202eevil\r\n", Trace: "\x1b[2J"}
	msg := Explain(e)
	if strings.ContainsAny(msg, "\x1b\x07\r\n\u202e") || !strings.Contains(msg, `\x1b]52`) || !strings.Contains(msg, `\u202eevil`) {
		t.Errorf("Explain = %q", msg)
	}
	if m := Explain(&NoSoftwareStatementError{Server: "http://x"}); !strings.Contains(m, "--software-statement FILE") || !strings.Contains(m, "HANDOFF_SOFTWARE_STATEMENT") {
		t.Errorf("no statement: %q", m)
	}
}

func TestParseSoftwareStatement(t *testing.T) {
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJzb2Z0d2FyZV9pZCI6IngifQ.c2ln"
	for in, ok := range map[string]bool{
		jwt:                                    true,
		`{"software_statement":"` + jwt + `"}`: true,
		`{"other":1}`:                          false,
		"not a jwt":                            false,
		"a.b":                                  false,
		"a.b.c\x1b":                            false,
	} {
		got, err := parseSoftwareStatement(in)
		if ok != (err == nil) || (ok && got != jwt) {
			t.Errorf("parseSoftwareStatement(%q) = %q, %v", in, got, err)
		}
		if err != nil && !IsBadInput(err) {
			t.Errorf("not an input error: %v", err)
		}
	}
}

func TestTolerantNumbers(t *testing.T) {
	var st ServiceToken
	if err := json.Unmarshal([]byte(`{"status":"OK","serviceToken":"x","notBefore":1.6238e12,"notAfter":"1623840000000"}`), &st); err != nil ||
		st.NotBefore != 1623800000000 || st.NotAfter != 1623840000000 {
		t.Errorf("service token times: %+v, %v", st, err)
	}
	var bad ServiceToken
	if err := json.Unmarshal([]byte(`{"notAfter":"soon"}`), &bad); err == nil {
		t.Error("a time that is not a number was accepted")
	}
	var p Profiles
	if err := json.Unmarshal([]byte(`{"profiles":{"Cox":{"attributes":{"userID":{"value":"u1","state":"plain"},"zip":{"value":75001},"hd":{"value":true}}}}}`), &p); err != nil {
		t.Fatal(err)
	}
	if a := p.Profiles["Cox"].Attributes; a["userID"].Value != "u1" || a["zip"].Value != "75001" || a["hd"].Value != "true" || p.Profiles["Cox"].UserID() != "u1" {
		t.Errorf("profile attributes: %+v", a)
	}
}

// FuzzWithDevice: for any JSON object, the output is JSON whose "device" is the name
// and whose other members are byte for byte what came in.
func FuzzWithDevice(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"device":"x","n":1.50}`, ` {"a" : [1,{"device":2}] } `, `[1]`, `{"a":1}x`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var before map[string]json.RawMessage
		isObject := json.Unmarshal([]byte(in), &before) == nil && before != nil
		out, err := WithDevice(json.RawMessage(in), nil, "tv")
		if !isObject {
			if err == nil && strings.TrimSpace(in) != "" {
				t.Fatalf("WithDevice(%q) accepted a non-object: %s", in, out)
			}
			return
		}
		if err != nil {
			if deviceKeys(in) < 2 { // two device fields are refused
				t.Fatalf("WithDevice(%q): %v", in, err)
			}
			return
		}
		var after map[string]json.RawMessage
		if err := json.Unmarshal(out, &after); err != nil {
			t.Fatalf("WithDevice(%q) = %q: not JSON", in, out)
		}
		if string(after["device"]) != `"tv"` {
			t.Fatalf("device = %s in %s", after["device"], out)
		}
		for k, v := range before {
			if k != "device" && string(after[k]) != string(v) {
				t.Fatalf("%q changed: %s → %s", k, v, after[k])
			}
		}
	})
}

// deviceKeys counts the top-level "device" keys of a JSON object, however spelled.
func deviceKeys(in string) int {
	dec := json.NewDecoder(strings.NewReader(in))
	if _, err := dec.Token(); err != nil {
		return 0
	}
	n := 0
	for dec.More() {
		k, err := dec.Token()
		var v json.RawMessage
		if err != nil || dec.Decode(&v) != nil {
			return n
		}
		if k == "device" {
			n++
		}
	}
	return n
}

func TestSetFieldKeepsTheRest(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{`{"code":"AB3K9Z","n":1.50}`, `{"code":"AB3K9Z","n":1.50,"linkUrl":"http://h/l?c=1"}`},
		{`{"linkUrl":"http://evil","code":"X"}`, `{"linkUrl":"http://h/l?c=1","code":"X"}`},
	} {
		got, err := SetField(json.RawMessage(tc.raw), "linkUrl", "http://h/l?c=1")
		if err != nil || string(got) != tc.want {
			t.Errorf("SetField(%s) = %s, %v; want %s", tc.raw, got, err, tc.want)
		}
	}
	if _, err := SetField(json.RawMessage(`{"linkUrl":"a","linkUrl":"b"}`), "linkUrl", "c"); err == nil {
		t.Error("SetField accepted an object with the key twice")
	}
}
