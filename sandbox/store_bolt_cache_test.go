package sandbox

import (
	"encoding/json"
	"testing"
	"time"
)

// TestRecordCache: a cached decode answers what json.Unmarshal would, for exactly the
// bytes it saw, and a record that does not decode is an error every time.
func TestRecordCache(t *testing.T) {
	var c recordCache[Device]
	d := Device{ProfileID: "p", Key: "k", JoinID: "j1", LastSeen: time.Unix(100, 0).UTC()}
	raw, _ := json.Marshal(d)
	for range 2 {
		got, err := c.decode(bucketDevices, raw)
		if err != nil || got != d {
			t.Fatalf("decode: %+v %v, want %+v", got, err, d)
		}
	}
	d.LastSeen = time.Unix(200, 0).UTC()
	raw2, _ := json.Marshal(d)
	if got, err := c.decode(bucketDevices, raw2); err != nil || got != d {
		t.Errorf("changed record: %+v %v, want %+v", got, err, d)
	}
	for range 2 {
		if _, err := c.decode(bucketDevices, []byte(`{"key":`)); err == nil {
			t.Error("a corrupt record decoded")
		}
	}
}
