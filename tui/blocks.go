package tui

import "strings"

// halfBlocks draws a bitmap two rows per line with the upper/lower half blocks, the
// cells where ink is true being drawn in the terminal's foreground colour.
func halfBlocks(rows [][]bool, ink bool) string {
	var b strings.Builder
	for y := 0; y < len(rows); y += 2 {
		if y > 0 {
			b.WriteByte('\n')
		}
		for x := range rows[y] {
			top := rows[y][x] == ink
			bottom := y+1 < len(rows) && rows[y+1][x] == ink
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}

// digitFont is a 3×5 pixel font for 0–9, drawn twice as wide as tall so that the
// link code reads from across a room.
var digitFont = [10][5]string{
	{"###", "#.#", "#.#", "#.#", "###"},
	{".#.", "##.", ".#.", ".#.", "###"},
	{"###", "..#", "###", "#..", "###"},
	{"###", "..#", "###", "..#", "###"},
	{"#.#", "#.#", "###", "..#", "..#"},
	{"###", "#..", "###", "..#", "###"},
	{"###", "#..", "###", "#.#", "###"},
	{"###", "..#", ".#.", ".#.", ".#."},
	{"###", "#.#", "###", "#.#", "###"},
	{"###", "#.#", "###", "..#", "###"},
}

// bigDigitsWidth is the width BigDigits needs for six digits.
const bigDigitsWidth = 6*6 + 5 + 2

// BigDigits draws a link code in large type: three lines of half blocks, or, when
// plain, five lines of '#' (no block characters, which screen readers spell out).
// Anything but digits is drawn as a gap; the middle of a six-digit code gets a wider
// one, as people read it in two groups.
func BigDigits(code string, plain bool) string {
	bitmap := make([][]bool, 5)
	for i, r := range code {
		if i > 0 {
			gap := 1
			if len(code) == 6 && i == 3 {
				gap = 3
			}
			for y := range bitmap {
				bitmap[y] = append(bitmap[y], make([]bool, gap)...)
			}
		}
		if r < '0' || r > '9' {
			for y := range bitmap {
				bitmap[y] = append(bitmap[y], make([]bool, 6)...)
			}
			continue
		}
		glyph := digitFont[r-'0']
		for y, row := range glyph {
			for _, px := range row {
				bitmap[y] = append(bitmap[y], px == '#', px == '#')
			}
		}
	}
	if !plain {
		return halfBlocks(bitmap, true)
	}
	lines := make([]string, len(bitmap))
	for y, row := range bitmap {
		var b strings.Builder
		for _, on := range row {
			if on {
				b.WriteByte('#')
			} else {
				b.WriteByte(' ')
			}
		}
		lines[y] = strings.TrimRight(b.String(), " ")
	}
	return strings.Join(lines, "\n")
}
