package integration

// A headless Chromium driven over the DevTools protocol (CDP), with a websocket client
// written on the standard library: the project adds no module for one test.

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// chromiumPath finds Chromium, or fails under CI and skips elsewhere.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is required in CI (apt-get install chromium)")
	}
	t.Skip("install chromium (Debian: apt-get install chromium) to run the browser link-page test")
	return ""
}

// browser is a headless Chromium driven over the DevTools protocol, one page.
type browser struct {
	t    *testing.T
	cmd  *exec.Cmd
	ws   *wsConn
	next int
}

// launchBrowser starts headless Chromium on a profile directory (kept between launches,
// so localStorage survives a restart) and attaches to its first page.
func launchBrowser(t *testing.T, profileDir string) *browser {
	t.Helper()
	cmd := exec.Command(chromiumPath(t), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--remote-debugging-port=0", "--user-data-dir="+profileDir, "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	b := &browser{t: t, cmd: cmd}
	t.Cleanup(b.kill)
	endpoint := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, after, ok := strings.Cut(sc.Text(), "DevTools listening on "); ok {
				endpoint <- after
			}
		}
	}()
	var browserWS string
	select {
	case browserWS = <-endpoint:
	case <-time.After(30 * time.Second):
		t.Fatal("chromium did not print its DevTools endpoint within 30s")
	}
	u, err := url.Parse(browserWS)
	if err != nil {
		t.Fatal(err)
	}
	pageWS, err := firstPage(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	if b.ws, err = dialWebSocket(pageWS); err != nil {
		t.Fatalf("attaching to the page: %v", err)
	}
	return b
}

func firstPage(host string) (string, error) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get("http://" + host + "/json/list")
		if err == nil {
			var targets []struct{ Type, WebSocketDebuggerURL string }
			err = json.NewDecoder(res.Body).Decode(&targets)
			res.Body.Close()
			for _, tg := range targets {
				if err == nil && tg.Type == "page" && tg.WebSocketDebuggerURL != "" {
					return tg.WebSocketDebuggerURL, nil
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", errors.New("chromium shows no page target")
}

// call sends one CDP command and waits for its answer, skipping events.
func (b *browser) call(method string, params any, result any) error {
	b.next++
	id := b.next
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	_ = b.ws.conn.SetDeadline(time.Now().Add(30 * time.Second))
	if err := b.ws.writeText(msg); err != nil {
		return err
	}
	for {
		data, err := b.ws.readMessage()
		if err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
		var reply struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(data, &reply); err != nil || reply.ID != id {
			continue
		}
		if reply.Error != nil {
			return fmt.Errorf("%s: %s", method, reply.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(reply.Result, result)
		}
		return nil
	}
}

func (b *browser) navigate(u string) {
	b.t.Helper()
	if err := b.call("Page.navigate", map[string]any{"url": u}, nil); err != nil {
		b.t.Fatal(err)
	}
}

// eval runs a JavaScript expression (awaiting a promise) and decodes its value.
func (b *browser) eval(expr string, out any) error {
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res)
	if err != nil {
		return err
	}
	if res.ExceptionDetails != nil {
		return fmt.Errorf("%s: %s %s", expr, res.ExceptionDetails.Text, res.ExceptionDetails.Exception.Description)
	}
	return json.Unmarshal(res.Result.Value, out)
}

// waitFor polls expr until it returns one of the wanted strings.
func (b *browser) waitFor(expr string, timeout time.Duration, want ...string) string {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	var last string
	for time.Now().Before(deadline) {
		var v string
		if err := b.eval(expr, &v); err == nil {
			last = v
			for _, w := range want {
				if v == w {
					return v
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("%s is %q after %s, want one of %q", expr, last, timeout, want)
	return ""
}

// close shuts Chromium down gracefully so its profile (localStorage) is written out.
func (b *browser) close() {
	if b.ws == nil {
		return
	}
	_ = b.call("Browser.close", nil, nil)
	_ = b.ws.conn.Close()
	b.ws = nil
	done := make(chan struct{})
	go func() { _ = b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		b.kill()
	}
}

func (b *browser) kill() {
	if b.cmd.ProcessState == nil && b.cmd.Process != nil {
		_ = b.cmd.Process.Kill()
		_ = b.cmd.Wait()
	}
}

// wsConn is the smallest RFC 6455 client CDP needs: text frames out (masked), text
// frames in (with continuations), pings answered.
type wsConn struct {
	conn net.Conn
	r    *bufio.Reader
}

func dialWebSocket(rawURL string) (*wsConn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		return nil, err
	}
	keyBytes := make([]byte, 16)
	_, _ = rand.Read(keyBytes)
	key := base64.StdEncoding.EncodeToString(keyBytes)
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		conn.Close()
		return nil, err
	}
	r := bufio.NewReader(conn)
	res, err := http.ReadResponse(r, &http.Request{Method: http.MethodGet})
	if err != nil {
		conn.Close()
		return nil, err
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if res.StatusCode != http.StatusSwitchingProtocols || res.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake refused: %s", res.Status)
	}
	return &wsConn{conn: conn, r: r}, nil
}

const (
	wsOpContinuation = 0x0
	wsOpText         = 0x1
	wsOpClose        = 0x8
	wsOpPing         = 0x9
	wsOpPong         = 0xa
)

func (c *wsConn) writeFrame(op byte, payload []byte) error {
	hdr := []byte{0x80 | op}
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n <= 0xffff:
		hdr = append(hdr, 0x80|126, byte(n>>8), byte(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	mask := make([]byte, 4)
	_, _ = rand.Read(mask)
	hdr = append(hdr, mask...)
	masked := make([]byte, len(payload))
	for i, b := range payload {
		masked[i] = b ^ mask[i%4]
	}
	_, err := c.conn.Write(append(hdr, masked...))
	return err
}

func (c *wsConn) writeText(p []byte) error { return c.writeFrame(wsOpText, p) }

func (c *wsConn) readMessage() ([]byte, error) {
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(c.r, h[:]); err != nil {
			return nil, err
		}
		fin, op := h[0]&0x80 != 0, h[0]&0x0f
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var ext [2]byte
			if _, err := io.ReadFull(c.r, ext[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(ext[:]))
		case 127:
			var ext [8]byte
			if _, err := io.ReadFull(c.r, ext[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(ext[:])
		}
		if n > 64<<20 {
			return nil, errors.New("websocket frame larger than 64 MiB")
		}
		var mask [4]byte
		if h[1]&0x80 != 0 {
			if _, err := io.ReadFull(c.r, mask[:]); err != nil {
				return nil, err
			}
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(c.r, payload); err != nil {
			return nil, err
		}
		if h[1]&0x80 != 0 {
			for i := range payload {
				payload[i] ^= mask[i%4]
			}
		}
		switch op {
		case wsOpPing:
			if err := c.writeFrame(wsOpPong, payload); err != nil {
				return nil, err
			}
			continue
		case wsOpPong:
			continue
		case wsOpClose:
			return nil, errors.New("the browser closed the DevTools connection")
		case wsOpText, wsOpContinuation:
			msg = append(msg, payload...)
		}
		if fin {
			return msg, nil
		}
	}
}
