package client

import (
	"strings"
	"testing"
)

func TestNormalizeTVCode(t *testing.T) {
	for in, want := range map[string]string{"abc-1234": "ABC1234", " K7M 2PQ9 ": "K7M2PQ9", "x–y": "XY"} {
		if got, err := NormalizeTVCode(in); err != nil || got != want {
			t.Errorf("NormalizeTVCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", " - ", "abc!", strings.Repeat("A", 33), strings.Repeat("A", 200)} {
		_, err := NormalizeTVCode(in)
		if !IsBadInput(err) || len(in) > 3 && strings.Contains(Explain(err), in) {
			t.Errorf("NormalizeTVCode(%q) = %v; want bad input that does not echo it", in, err)
		}
	}
}

func TestWithCode(t *testing.T) {
	for in, want := range map[string]string{
		"http://h/sandbox/activate":       "http://h/sandbox/activate?code=K7M",
		"https://tv.example/activate?x=1": "https://tv.example/activate?code=K7M&x=1",
	} {
		if got := withCode(in, "K7M"); got != want {
			t.Errorf("withCode(%q) = %q, want %q", in, got, want)
		}
	}
}
