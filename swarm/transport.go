package swarm

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// meter is the swarm's HTTP transport: it lets at most cap calls be in flight, and
// times each one from the moment it may go until its answer has been read, so that
// the wait for a free slot is not counted as the server's latency.
type meter struct {
	next  http.RoundTripper
	slots chan struct{}
	log   *callLog
}

func newHTTPClient(concurrency int, log *callLog) *http.Client {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          concurrency,
		MaxIdleConnsPerHost:   concurrency,
		MaxConnsPerHost:       concurrency,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 15 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{
		// No Client.Timeout: it would count the wait for a slot; the meter bounds
		// each call from when it goes.
		Transport: &meter{next: t, slots: make(chan struct{}, concurrency), log: log},
		// The SSO API never redirects; following one would carry the bearer elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// callTimeout bounds one call, from when it goes to the answer's last byte.
const callTimeout = 30 * time.Second

func (m *meter) RoundTrip(req *http.Request) (*http.Response, error) {
	caller := req.Context()
	select {
	case m.slots <- struct{}{}:
	case <-caller.Done():
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, caller.Err()
	}
	ctx, cancel := context.WithTimeout(caller, callTimeout)
	route := m.log.route(req.Method, req.URL.Path)
	started := time.Now()
	resp, err := m.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		<-m.slots
		// A call the run stopped is no measure of the server.
		if caller.Err() == nil {
			m.log.record(route, 0, time.Since(started))
		}
		return nil, err
	}
	resp.Body = &meteredBody{ReadCloser: resp.Body, done: func() {
		cancel()
		<-m.slots
		m.log.record(route, resp.StatusCode, time.Since(started))
	}}
	return resp, nil
}

// closeIdle drops the kept-alive connections at the end of a run.
func (m *meter) closeIdle() {
	if t, ok := m.next.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

// meteredBody ends a call's timing when the client is done with the answer.
type meteredBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *meteredBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.done)
	return err
}
