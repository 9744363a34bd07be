package swarm

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxRoutes bounds the routes kept apart; the client calls a dozen, and a server that
// redirected it elsewhere would not make the table grow without end.
const maxRoutes = 32

// otherRoute gathers the calls past maxRoutes.
const otherRoute = "other"

// networkStatus is the status column of a call that got no HTTP answer.
const networkStatus = "network"

// callStats is one route's tally.
type callStats struct {
	hist     histogram
	statuses map[string]int64
}

// callLog is every HTTP call of a run, by route as the spec writes it
// ("GET /api/{sp}/list").
type callLog struct {
	sp     string
	mu     sync.Mutex
	routes map[string]*callStats
	total  int64
}

func newCallLog(sp string) *callLog {
	return &callLog{sp: sp, routes: map[string]*callStats{}}
}

// route names a request path by the spec's route, so that the table does not grow
// with the service provider's name.
func (l *callLog) route(method, path string) string {
	if rest, ok := strings.CutPrefix(path, "/api/"+l.sp+"/"); ok {
		path = "/api/{sp}/" + rest
	}
	return method + " " + path
}

// record counts one call: status 0 is a call that got no answer.
func (l *callLog) record(route string, status int, latency time.Duration) {
	st := networkStatus
	if status != 0 {
		st = strconv.Itoa(status)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.routes[route]
	if !ok {
		if len(l.routes) >= maxRoutes {
			route = otherRoute
		}
		if s, ok = l.routes[route]; !ok {
			s = &callStats{statuses: map[string]int64{}}
			l.routes[route] = s
		}
	}
	s.hist.record(latency)
	s.statuses[st]++
	l.total++
}

func (l *callLog) count() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// report is the per-route table, busiest route first.
func (l *callLog) report() []CallReport {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]CallReport, 0, len(l.routes))
	for route, s := range l.routes {
		h := &s.hist
		out = append(out, CallReport{
			Call:     route,
			Count:    int64(h.n),
			Statuses: maps.Clone(s.statuses),
			P50Ms:    millis(h.quantile(0.50)),
			P90Ms:    millis(h.quantile(0.90)),
			P99Ms:    millis(h.quantile(0.99)),
			MaxMs:    millis(h.max),
			MeanMs:   millis(h.mean()),
		})
	}
	slices.SortFunc(out, func(a, b CallReport) int {
		if a.Count != b.Count {
			return int(b.Count - a.Count)
		}
		return strings.Compare(a.Call, b.Call)
	})
	return out
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
