package sandbox

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// uaOracle is the rules as plain regexps, as they were before fromUserAgent skipped
// rules by their words and moved ".*(?:TV|…)" out of the regexps: what it reads from
// a User-Agent is what fromUserAgent must read.
var uaOracle = []struct {
	re              *regexp.Regexp
	os, hw, company string
}{
	{regexp.MustCompile(`iPhone.*?OS (\d+[_.\d]*)`), "iOS", "MobilePhone", "Apple"},
	{regexp.MustCompile(`iPad.*?OS (\d+[_.\d]*)`), "iPadOS", "Tablet", "Apple"},
	{regexp.MustCompile(`AppleTV.*?(?:OS |tvOS[/ ])(\d+[_.\d]*)`), "tvOS", "MediaPlayer", "Apple"},
	{regexp.MustCompile(`AppleTV()`), "tvOS", "MediaPlayer", "Apple"},
	{regexp.MustCompile(`Roku/DVP-(\d+[.\d]*)`), "Roku OS", "MediaPlayer", "Roku"},
	{regexp.MustCompile(`Roku()`), "Roku OS", "MediaPlayer", "Roku"},
	{regexp.MustCompile(`Tizen ?(\d+[.\d]*)?`), "Tizen", "TV", "Samsung"},
	{regexp.MustCompile(`Web0S|webOS()`), "webOS", "TV", "LG"},
	{regexp.MustCompile(`AFT\w+.*?Android (\d+[.\d]*)|Android (\d+[.\d]*).*?AFT`), "Fire OS", "MediaPlayer", "Amazon"},
	{regexp.MustCompile(`Android (\d+[.\d]*).*(?:TV|BRAVIA|SHIELD)`), "Android", "TV", ""},
	{regexp.MustCompile(`Android (\d+[.\d]*).*Mobile`), "Android", "MobilePhone", ""},
	{regexp.MustCompile(`Android (\d+[.\d]*)`), "Android", "Tablet", ""},
	{regexp.MustCompile(`CrOS \S+ (\d+[.\d]*)`), "ChromeOS", "Desktop", "Google"},
	{regexp.MustCompile(`Windows NT (\d+[.\d]*)`), "Windows", "Desktop", "Microsoft"},
	{regexp.MustCompile(`Mac OS X (\d+[_.\d]*)`), "macOS", "Desktop", "Apple"},
	{regexp.MustCompile(`Linux()`), "Linux", "Desktop", ""},
}

func oracleUserAgent(ua string) deviceAttributes {
	ua = clip(ua)
	a := deviceAttributes{UserAgent: ua}
	for _, r := range uaOracle {
		m := r.re.FindStringSubmatch(ua)
		if m == nil {
			continue
		}
		a.OS, a.HardwareType, a.Manufacturer = r.os, r.hw, r.company
		for _, g := range m[1:] {
			if g != "" {
				a.OSVersion = strings.ReplaceAll(g, "_", ".")
				break
			}
		}
		break
	}
	return a
}

// TestUserAgentRulesMatchTheirRegexps reads real User-Agents, and 50,000 made of
// the words the rules look for in random order (a word twice, a version before or
// after its OS, "TV" before "Android"), as the plain regexps do.
func TestUserAgentRulesMatchTheirRegexps(t *testing.T) {
	words := []string{"iPhone", "iPad", "CPU OS 17_4", "OS 16_1", "AppleTV14,1", "tvOS 18.1", "tvOS/17", "Roku", "Roku/DVP-12.5",
		"Tizen", "Tizen 8.0", "Web0S", "webOS", "AFT", "AFTMM", "AFTKRT Build", "Android", "Android 9", "Android 14.1",
		"TV", "BRAVIA", "SHIELD", "Mobile", "CrOS x86_64 15633.69", "Windows NT 10.0", "Mac OS X 10_15_7", "Linux",
		"Mozilla/5.0", "(", ")", ";", " ", "Safari/537.36", "9", "_", "."}
	uas := benchUserAgents()
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 50_000 {
		var b strings.Builder
		for range 1 + rnd.IntN(8) {
			b.WriteString(words[rnd.IntN(len(words))])
			if rnd.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		uas = append(uas, b.String())
	}
	differ := 0
	for _, ua := range uas {
		if got, want := fromUserAgent(ua), oracleUserAgent(ua); got != want {
			if differ++; differ <= 10 {
				t.Errorf("%q → %+v, the regexps read %+v", ua, got, want)
			}
		}
	}
	if differ > 10 {
		t.Errorf("%d User-Agents in all read differently", differ)
	}
}
