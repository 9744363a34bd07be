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
		{"", "", "Type the 6-digit"},
		{"  - ", "", "Type the 6-digit"},
		{"12345", "", "this one has 5"},
		{"1234567", "", "this one has 7"},
		{"12a456", "", "only digits"},
		{"１２３４５６", "", "only digits"},
		{strings.Repeat("1", 100), "", "too long"},
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
	for _, s := range []string{"123456", "123 456", "12-34-56", "", "abc", "１２３", "\x00\xff"} {
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
		if len(got) != 6 || !isDigits(got) {
			t.Fatalf("NormalizeLinkCode(%q) = %q: not six digits", in, got)
		}
		again, err := NormalizeLinkCode(got)
		if err != nil || again != got {
			t.Fatalf("not idempotent: %q → %q, %v", got, again, err)
		}
	})
}
