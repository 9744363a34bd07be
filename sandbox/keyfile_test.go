package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
	bolt "go.etcd.io/bbolt"
)

// candidateSecrets is everything in raw that could be a 32-byte secret: every 32-byte
// window, and every 44-character window that decodes as standard Base64 (how JSON
// keeps a []byte).
func candidateSecrets(raw []byte) [][]byte {
	var out [][]byte
	for i := 0; i+32 <= len(raw); i++ {
		out = append(out, raw[i:i+32])
	}
	for i := 0; i+44 <= len(raw); i++ {
		if b, err := base64.StdEncoding.DecodeString(string(raw[i : i+44])); err == nil && len(b) == 32 {
			out = append(out, b)
		}
	}
	return out
}

// storedHashes are the keys of a bucket in a copy of the store file.
func storedHashes(t *testing.T, path string, bucket []byte) map[string]bool {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]bool{}
	_ = db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucket); b != nil {
			return b.ForEach(func(k, _ []byte) error { out[string(k)] = true; return nil })
		}
		return nil
	})
	return out
}

// TestStoreCopyHoldsNoKey: with a copy of sandbox.db alone, no live link code can be
// recovered and no token minted that the server accepts: the keys are in their own
// 0600 file.
func TestStoreCopyHoldsNoKey(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, "bbolt", dir, Config{})
	access := ts.accessToken(t)
	phone := device{key: deviceKey("phone"), access: access}
	tok := ts.serviceToken(t, phone, "alice")
	code := ts.linkCode(t, phone, tok)
	_, _ = startLogin(t, ts, phone, "Cox")
	if r := ts.do(t, "POST", "/sandbox/roku/connect-token", map[string]string{"Content-Type": "application/json"}, `{"subscriberId":"s-1","format":"jws"}`); r.status != 201 {
		t.Fatalf("connect token: %d %s", r.status, r.raw)
	}

	fi, err := os.Stat(filepath.Join(dir, keyFileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v, want 0600", err, fi.Mode())
	}
	copyDir := t.TempDir()
	raw, err := os.ReadFile(filepath.Join(dir, boltFile))
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(copyDir, boltFile)
	if err := os.WriteFile(copyPath, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	hashes := storedHashes(t, copyPath, bucketLinkCodes)
	if len(hashes) != 1 {
		t.Fatalf("%d link codes in the copy, want the live one", len(hashes))
	}
	secrets := ts.keys.all()
	for _, cand := range candidateSecrets(raw) {
		if hashes[hashLinkCode(cand, "demo", code)] {
			t.Fatal("the copy holds the key that recovers the live link code")
		}
		for _, k := range secrets {
			if bytes.Equal(cand, k.Secret) {
				t.Fatalf("the copy holds the %s key", k.Purpose)
			}
		}
	}
	for _, k := range secrets { // the Roku keys are not 32 bytes: look for them whole
		if bytes.Contains(raw, k.Secret) || bytes.Contains(raw, []byte(base64.StdEncoding.EncodeToString(k.Secret))) {
			t.Fatalf("the copy holds the %s key", k.Purpose)
		}
	}

	// A sandbox started on the copy alone signs with keys of its own: the server
	// refuses what it mints for alice's phone.
	thief := startServer(t, "bbolt", copyDir, Config{})
	c := serviceClaims{Claims: jwt.Claims{Issuer: serviceTokenIssuer, Subject: "alice", Audience: jwt.Audience{"demo"}},
		DeviceKey: phone.key, Namespace: nsSSO}
	if err := thief.store.View(func(tx Tx) error {
		d, err := tx.Device(profileID(nsSSO, "demo", "alice"), phone.key)
		c.ID = d.JoinID + ".x"
		return err
	}); err != nil {
		t.Fatal(err)
	}
	now := ts.clock.Now()
	c.NotBefore, c.IssuedAt, c.Expiry = jwt.NewNumericDate(now), jwt.NewNumericDate(now), jwt.NewNumericDate(now.Add(time.Hour))
	key, err := thief.signingKey(thief.now())
	if err != nil {
		t.Fatal(err)
	}
	minted, err := signJWT(key, c)
	if err != nil {
		t.Fatal(err)
	}
	checkEnvelope(t, ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", minted), ""), 401, "header_invalid", "get_new_token")
}

// TestLegacyKeysMoveOut: a store written when keys lived in it starts with its keys
// moved to the key file (its tokens and codes still good) and none left in the file.
func TestLegacyKeysMoveOut(t *testing.T) {
	dir := t.TempDir()
	now := newClock().Now()
	signing := Key{Purpose: purposeServiceToken, ID: "legacy-sign", Secret: bytes.Repeat([]byte{7}, 32), CreatedAt: now}
	linking := Key{Purpose: purposeLinkCode, ID: "legacy-link", Secret: bytes.Repeat([]byte{9}, 32), CreatedAt: now}
	statement := Key{Purpose: purposeStatement, ID: "legacy-st", Secret: bytes.Repeat([]byte{5}, 32), CreatedAt: now}
	st, err := OpenBoltStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	alice := Device{ProfileID: profileID(nsSSO, "demo", "alice"), Key: deviceKey("phone"), Type: DeviceRegular, JoinID: "j1", JoinedAt: now, LastSeen: now}
	code := "123456"
	must(t, st.Update(func(tx Tx) error {
		return errors.Join(tx.PutProfile(Profile{ID: alice.ProfileID, CreatedAt: now}), tx.PutDevice(alice),
			tx.PutLinkCode(LinkCode{Hash: hashLinkCode(linking.Secret, "demo", code), ProfileID: alice.ProfileID, DeviceKey: alice.Key, NotBefore: now, NotAfter: now.Add(5 * time.Minute)}))
	}))
	must(t, st.Close())
	db, err := bolt.Open(filepath.Join(dir, boltFile), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	must(t, db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketKeys)
		if err != nil {
			return err
		}
		for _, k := range []Key{signing, linking, statement} {
			raw, _ := json.Marshal(k)
			if err := b.Put(joinKey(k.Purpose, k.ID), raw); err != nil {
				return err
			}
		}
		return nil
	}))
	must(t, db.Close())

	ts := startServer(t, "bbolt", dir, Config{})
	access := ts.accessToken(t)
	phone := device{key: alice.Key, access: access}
	c := serviceClaims{Claims: jwt.Claims{Issuer: serviceTokenIssuer, Subject: "alice", Audience: jwt.Audience{"demo"}, ID: "j1.x",
		NotBefore: jwt.NewNumericDate(now), IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Hour))},
		DeviceKey: alice.Key, Namespace: nsSSO}
	tok, err := signJWT(signing, c)
	if err != nil {
		t.Fatal(err)
	}
	if r := ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", tok), ""); r.status != 200 {
		t.Fatalf("a token of the legacy key after the move: %d %s", r.status, r.raw)
	}
	tv := device{key: deviceKey("tv"), access: access}
	if r := ts.join(t, "demo", tv, "X-SSO-LINK", code); r.status != 201 {
		t.Fatalf("a code hashed with the legacy key after the move: %d %s", r.status, r.raw)
	}
	saved, err := os.ReadFile(filepath.Join(dir, keyFileName))
	if err != nil || !strings.Contains(string(saved), "legacy-sign") || !strings.Contains(string(saved), "legacy-link") {
		t.Fatalf("key file %s (%v) lacks the moved keys", saved, err)
	}
	must(t, ts.Shutdown(t.Context()))
	raw, err := os.ReadFile(filepath.Join(dir, boltFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []Key{signing, linking, statement} {
		if bytes.Contains(raw, []byte(base64.StdEncoding.EncodeToString(k.Secret))) || bytes.Contains(raw, []byte(k.ID)) {
			t.Errorf("the store file still holds the %s key (in a freed page?)", k.Purpose)
		}
	}
}

// TestDamagedKeyFile: a key file that is not JSON is a setup error that names it and
// says what to do.
func TestDamagedKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, keyFileName)
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := New(Config{DataDir: dir})
	var se *setupError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "move it aside") {
		t.Fatalf("New on a damaged key file: %v", err)
	}
}
