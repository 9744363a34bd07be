package present

import (
	"fmt"
	"time"
)

// The one clock and date format everything shows.
const (
	ClockLayout = "15:04:05"
	DateLayout  = "2 Jan 2006"
	dayLayout   = "2 Jan 15:04"
)

// Clock is a time of day, local: "14:22:05"; "—" for no time.
func Clock(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format(ClockLayout)
}

// Date is a day, local: "22 Dec 2026".
func Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format(DateLayout)
}

// When is a time of day, with the day when it is not today: a time alone would mislead.
func When(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	if y, m, d := t.Local().Date(); y != now.Local().Year() || m != now.Local().Month() || d != now.Local().Day() {
		return t.Local().Format(dayLayout)
	}
	return Clock(t)
}

// Until says when something expires: "14:22:05 (in 10 min)", "22 Dec 14:15 (in 30 days)".
func Until(now, t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	if !t.After(now) {
		return When(now, t) + " (expired " + Span(now.Sub(t)) + " ago)"
	}
	return When(now, t) + " (in " + Span(t.Sub(now)) + ")"
}

// Ago says how long ago something happened: "just now", "2 min ago", "never".
func Ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	if d < 5*time.Second {
		return "just now"
	}
	return Span(d) + " ago"
}

// Span is a duration the way people say it, in one unit: "45 s", "2 min", "3 h", "2 days".
func Span(d time.Duration) string {
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
	}
	return fmt.Sprintf("%d days", int(d.Round(24*time.Hour)/(24*time.Hour)))
}

// Countdown is what is left, to the second: "9:58", "1:02:03", "expired".
func Countdown(d time.Duration) string {
	if d <= 0 {
		return "expired"
	}
	d = d.Round(time.Second)
	h, mi, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, mi, s)
	}
	return fmt.Sprintf("%d:%02d", mi, s)
}
