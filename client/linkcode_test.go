package client

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalizeLinkCode(t *testing.T) {
	tests := []struct {
		in, want string
		errHas   string
	}{
		{"123456", "123456", ""},
		{"123 456", "123456", ""},
		{"123-456", "123456", ""},
		{" 12 34 56\n", "123456", ""},
		{"123–456", "123456", ""},
		{"6ZJV85", "6ZJV85", ""},
		{"6zj-v85", "6zjv85", ""},
		{"AB12 CD34 EF", "AB12CD34EF", ""},
		{"1234", "1234", ""},
		{"", "", "Type the link code"},
		{"  - ", "", "Type the link code"},
		{"123", "", "this one has 3"},
		{strings.Repeat("7", 33), "", "this one has 33"},
		{"12_456", "", "only letters and digits"},
		{"１２３４５６", "", "only letters and digits"},
		{"12\x1b[31m", "", "only letters and digits"},
		{"12\u202e3456", "", "only letters and digits"},
		{strings.Repeat("1", 200), "", "too long"},
	}
	for _, tt := range tests {
		got, err := NormalizeLinkCode(tt.in)
		if tt.errHas == "" {
			if err != nil || got != tt.want {
				t.Errorf("NormalizeLinkCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || !IsBadInput(err) || !strings.Contains(Explain(err), tt.errHas) {
			t.Errorf("NormalizeLinkCode(%q) = %q, %v; want an input error with %q", tt.in, got, err, tt.errHas)
		}
	}
}

func FuzzNormalizeLinkCode(f *testing.F) {
	for _, s := range []string{"123456", "123 456", "12-34-56", "", "abc", "6ZJV85", "１２３", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := NormalizeLinkCode(in)
		if err != nil {
			if got != "" || !IsBadInput(err) || !utf8.ValidString(err.Error()) {
				t.Fatalf("NormalizeLinkCode(%q) = %q, %v", in, got, err)
			}
			return
		}
		if len(got) < minLinkCode || len(got) > maxLinkCode || !isLinkCodeText(got) {
			t.Fatalf("NormalizeLinkCode(%q) = %q: not 4 to 32 letters and digits", in, got)
		}
		again, err := NormalizeLinkCode(got)
		if err != nil || again != got {
			t.Fatalf("not idempotent: %q → %q, %v", got, again, err)
		}
	})
}
