package sandbox

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bbolt's page layout, as far as the damage below needs it: a 16-byte header (id
// uint64, flags uint16, count uint16, overflow uint32), then the elements; a branch
// element is 16 bytes (pos, ksize uint32, pgid uint64). The page size is in the meta.
const (
	pageHeader     = 16
	branchElement  = 16
	branchPageFlag = 0x01
	leafPageFlag   = 0x02
)

// fullStore makes a store in dir with enough devices that the devices bucket is a
// tree of branch and leaf pages, and returns the file's path.
func fullStore(t testing.TB, dir string) string {
	t.Helper()
	st, err := OpenBoltStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	err = st.Update(func(tx Tx) error {
		for i := range 3000 {
			p := fmt.Sprintf("sso/demo/user-%04d", i)
			if err := tx.PutProfile(Profile{ID: p, CreatedAt: now}); err != nil {
				return err
			}
			if err := tx.PutDevice(Device{ProfileID: p, Key: deviceKey(p), Type: DeviceRegular, JoinID: "j", JoinedAt: now, LastSeen: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, boltFile)
}

// damagePages rewrites in place every page whose flags match, with hurt.
func damagePages(t testing.TB, path string, flags uint16, hurt func(page []byte)) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	meta := make([]byte, pageHeader+12)
	if _, err := f.ReadAt(meta, 0); err != nil {
		t.Fatal(err)
	}
	size := int64(binary.LittleEndian.Uint32(meta[pageHeader+8:]))
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	page := make([]byte, size)
	hit := 0
	for off := 2 * size; off+size <= fi.Size(); off += size {
		if _, err := f.ReadAt(page, off); err != nil {
			t.Fatal(err)
		}
		if binary.LittleEndian.Uint16(page[8:]) != flags {
			continue
		}
		hurt(page)
		if _, err := f.WriteAt(page, off); err != nil {
			t.Fatal(err)
		}
		hit++
	}
	if hit == 0 {
		t.Fatalf("no page with flags %#x in %s", flags, path)
	}
}

func bogusBranches(page []byte) {
	n := int(binary.LittleEndian.Uint16(page[10:]))
	for i := range n {
		binary.LittleEndian.PutUint64(page[pageHeader+i*branchElement+8:], 1<<40+uint64(i))
	}
}

// TestDamagedStoreAtStart: a store file damaged in any of the ways a review found is
// refused at start by a real process, exit 2, with the file named and what to do, and
// no panic or fault reaches the terminal.
func TestDamagedStoreAtStart(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"truncated", func(t *testing.T, path string) {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, fi.Size()/2+123); err != nil {
				t.Fatal(err)
			}
		}},
		{"truncated where only free pages were", func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			srv, err := New(Config{DataDir: filepath.Dir(path)})
			if err != nil {
				t.Fatal(err)
			}
			must(t, srv.Shutdown(t.Context()))
			if err := os.Truncate(path, 20000); err != nil {
				t.Fatal(err)
			}
		}},
		{"random leaf pages", func(t *testing.T, path string) {
			damagePages(t, path, leafPageFlag, func(p []byte) {
				for i := range p {
					p[i] = byte(rnd.UintN(256))
				}
			})
		}},
		{"bogus leaf counts", func(t *testing.T, path string) {
			damagePages(t, path, leafPageFlag, func(p []byte) { binary.LittleEndian.PutUint16(p[10:], 0xffff) })
		}},
		{"bogus branch pointers", func(t *testing.T, path string) { damagePages(t, path, branchPageFlag, bogusBranches) }},
		{"foreign file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("SQLite format 3\x00", 4096)), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := fullStore(t, dir)
			c.damage(t, path)
			p := startServeProcess(t, dir)
			code := p.wait(t)
			out := p.stderr.String()
			if p.URL != "" || code != 2 {
				t.Errorf("served %q, exit %d, want a refusal with exit 2; stderr:\n%s", p.URL, code, out)
			}
			for _, want := range []string{path, "damaged", "move it aside", "--memory"} {
				if !strings.Contains(out, want) {
					t.Errorf("stderr lacks %q:\n%s", want, out)
				}
			}
			for _, bad := range []string{"goroutine ", "panic", "fatal error", "unexpected fault", "SIGSEGV", "SIGBUS"} {
				if strings.Contains(out, bad) {
					t.Errorf("stderr shows %q:\n%s", bad, out)
				}
			}
		})
	}
}

// TestFaultWhileServing: a page damaged under a running server (bogus branch
// pointers, which fault when followed) fails that request with internal_error, and
// the server goes on serving.
func TestFaultWhileServing(t *testing.T) {
	dir := t.TempDir()
	path := fullStore(t, dir)
	p := startServeProcess(t, dir)
	if p.URL == "" {
		t.Fatalf("the server did not start; stderr:\n%s", p.stderr)
	}
	ts := &testServer{URL: p.URL, http: &http.Client{Timeout: 10 * time.Second}}
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	tok := ts.serviceToken(t, phone, "alice")
	damagePages(t, path, branchPageFlag, bogusBranches)
	r := ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", tok), "")
	checkEnvelope(t, r, 500, "internal_error", "none")
	if h := ts.do(t, "GET", "/sandbox/healthz", nil, ""); h.status != 200 {
		t.Errorf("healthz after the fault: %d %s", h.status, h.raw)
	}
	select {
	case <-p.exited:
		t.Fatalf("the server died (exit %d); stderr:\n%s", p.code, p.stderr)
	default:
	}
	if out := p.stderr.String(); strings.Contains(out, "fatal error") || strings.Contains(out, "goroutine ") {
		t.Errorf("stderr:\n%s", out)
	}
}
