package main

import (
	"fmt"
	"time"
)

// until says when something expires, for a person: "14:22:05 (in 10 min)", or with
// the date when that is another day: "Dec 22 14:15 (in 30 days)".
func until(now, t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	at := t.Local().Format("15:04:05")
	if y, m, d := t.Local().Date(); y != now.Local().Year() || m != now.Local().Month() || d != now.Local().Day() {
		at = t.Local().Format("Jan 2 15:04") // another day: a time alone would mislead
	}
	if !t.After(now) {
		return at + " (expired " + span(now.Sub(t)) + " ago)"
	}
	return at + " (in " + span(t.Sub(now)) + ")"
}

// ago says how long ago something happened: "just now", "2 min ago".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	if d < 5*time.Second {
		return "just now"
	}
	return span(d) + " ago"
}

// span is a duration the way people say it, in one unit: "45 s", "2 min", "90 min",
// "3 h", "2 days".
func span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
	case d < 2*time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Round(time.Hour)/time.Hour))
	default:
		return fmt.Sprintf("%d days", int(d.Round(24*time.Hour)/(24*time.Hour)))
	}
}
