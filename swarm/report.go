package swarm

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/handoff-sso/handoff/client"
)

// Report is what a run measured. It holds no secret: no token, no link code.
type Report struct {
	Server            string   `json:"server"`
	Instances         []string `json:"instances,omitempty"`
	SP                string   `json:"sp"`
	TVs               int      `json:"tvs"`
	Started           int64    `json:"started"`
	Joined            int64    `json:"joined"`
	Listed            int64    `json:"listed"`
	Unlinked          int64    `json:"unlinked"`
	Failed            int64    `json:"failed"`
	Interrupted       bool     `json:"interrupted"`
	ElapsedSeconds    float64  `json:"elapsedSeconds"`
	Requests          int64    `json:"requests"`
	RequestsPerSecond float64  `json:"requestsPerSecond"`
	// Steps are the flow's steps as the TVs and phones ran them.
	Steps []StepReport `json:"steps"`
	// Calls are the HTTP calls by route, with their latency.
	Calls []CallReport `json:"calls"`
	// Errors are the failed steps by API code, or by class: network, protocol,
	// not_listed, not_unlinked, other.
	Errors []ErrorReport `json:"errors"`
}

// StepReport counts one step of the flow.
type StepReport struct {
	Step   string `json:"step"`
	OK     int64  `json:"ok"`
	Failed int64  `json:"failed"`
}

// CallReport is one route's calls: how many, their HTTP statuses ("network" for no
// answer) and latency in milliseconds, from send to the answer's last byte.
type CallReport struct {
	Call     string           `json:"call"`
	Count    int64            `json:"count"`
	Statuses map[string]int64 `json:"statuses"`
	P50Ms    float64          `json:"p50Ms"`
	P90Ms    float64          `json:"p90Ms"`
	P99Ms    float64          `json:"p99Ms"`
	MaxMs    float64          `json:"maxMs"`
	MeanMs   float64          `json:"meanMs"`
}

// ErrorReport counts one kind of failure of one step.
type ErrorReport struct {
	Step       string `json:"step"`
	Code       string `json:"code"`
	HTTPStatus int    `json:"httpStatus,omitempty"`
	Count      int64  `json:"count"`
}

// Report is the run's measures so far.
func (s *Swarm) Report(interrupted bool) Report {
	p := s.Progress()
	r := Report{
		Server:         s.opts.Server,
		Instances:      s.opts.Instances,
		SP:             s.opts.SP,
		TVs:            s.opts.TVs,
		Started:        p.Started,
		Joined:         p.Joined,
		Listed:         p.Listed,
		Unlinked:       p.Unlinked,
		Failed:         p.Failed,
		Interrupted:    interrupted,
		ElapsedSeconds: p.Elapsed.Seconds(),
		Calls:          s.calls.report(),
		Errors:         s.errs.report(),
	}
	for _, c := range r.Calls {
		r.Requests += c.Count
	}
	if r.ElapsedSeconds > 0 {
		r.RequestsPerSecond = float64(r.Requests) / r.ElapsedSeconds
	}
	for _, st := range steps {
		c := s.counts[st]
		r.Steps = append(r.Steps, StepReport{Step: st, OK: c.ok.Load(), Failed: c.failed.Load()})
	}
	return r
}

// Clean reports a run in which every TV joined, showed in its list and unlinked,
// and no step failed.
func (r Report) Clean() bool {
	return !r.Interrupted && len(r.Errors) == 0 && r.Unlinked == int64(r.TVs) && r.Listed == int64(r.TVs)
}

// WriteText prints the report for a person: the TVs, the calls' latency, the errors.
// The server's codes are made terminal-safe.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	state := "done"
	if r.Interrupted {
		state = "interrupted"
	}
	on := client.TerminalSafe(r.Server)
	if len(r.Instances) > 0 {
		on = fmt.Sprintf("%s and %d more instances", on, len(r.Instances))
	}
	fmt.Fprintf(&b, "swarm %s: %d TVs on %s (sp %s) in %.1fs\n", state, r.TVs, on, client.TerminalSafe(r.SP), r.ElapsedSeconds)
	fmt.Fprintf(&b, "  %d started, %d joined, %d listed, %d unlinked, %d failed\n", r.Started, r.Joined, r.Listed, r.Unlinked, r.Failed)
	fmt.Fprintf(&b, "  %d requests, %.0f per second\n\n", r.Requests, r.RequestsPerSecond)
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "call\tcount\tp50 ms\tp90 ms\tp99 ms\tmax ms\tstatuses")
	for _, c := range r.Calls {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%s\n", client.TerminalSafe(c.Call), c.Count, c.P50Ms, c.P90Ms, c.P99Ms, c.MaxMs, statuses(c.Statuses))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Errors) == 0 {
		b.WriteString("\nno errors\n")
	} else {
		b.WriteString("\nerrors by API code\n")
		tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, e := range r.Errors {
			status := ""
			if e.HTTPStatus != 0 {
				status = "HTTP " + strconv.Itoa(e.HTTPStatus)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\n", e.Step, client.TerminalSafe(e.Code), status, e.Count)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// statuses writes "201×50 503×5", commonest first.
func statuses(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return int(m[b] - m[a])
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, m[k])
	}
	return strings.Join(parts, " ")
}
