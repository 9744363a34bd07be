package main

import "strings"

// glyphs are the ten digits five cells wide and five rows tall, for a link code that
// is read across a room.
var glyphs = [10][5]string{
	{" ███ ", "█   █", "█   █", "█   █", " ███ "},
	{"  █  ", " ██  ", "  █  ", "  █  ", " ███ "},
	{" ███ ", "█   █", "  ██ ", " █   ", "█████"},
	{"████ ", "    █", " ███ ", "    █", "████ "},
	{"█  █ ", "█  █ ", "█████", "   █ ", "   █ "},
	{"█████", "█    ", "████ ", "    █", "████ "},
	{" ███ ", "█    ", "████ ", "█   █", " ███ "},
	{"█████", "    █", "   █ ", "  █  ", "  █  "},
	{" ███ ", "█   █", " ███ ", "█   █", " ███ "},
	{" ███ ", "█   █", " ████", "    █", " ███ "},
}

// bigDigits renders a code in large digits, split in groups of three as people read
// it ("123 456"). Anything but digits is returned as it is, on one line.
func bigDigits(code string) string {
	for _, r := range code {
		if r < '0' || r > '9' {
			return code + "\n"
		}
	}
	var b strings.Builder
	for row := range 5 {
		line := strings.Builder{}
		for i, r := range code {
			if i > 0 {
				line.WriteString(" ")
				if i%3 == 0 {
					line.WriteString("   ")
				}
			}
			line.WriteString(glyphs[r-'0'][row])
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
	return b.String()
}

// groupCode writes a six-digit code as people read it: "123 456".
func groupCode(code string) string {
	if len(code) == 6 {
		return code[:3] + " " + code[3:]
	}
	return code
}
