package present

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

// font is a 3×5 pixel font for 0–9 and A–Z (link codes may be alphanumeric).
var font = map[rune][5]string{
	'0': {"###", "#.#", "#.#", "#.#", "###"},
	'1': {".#.", "##.", ".#.", ".#.", "###"},
	'2': {"###", "..#", "###", "#..", "###"},
	'3': {"###", "..#", "###", "..#", "###"},
	'4': {"#.#", "#.#", "###", "..#", "..#"},
	'5': {"###", "#..", "###", "..#", "###"},
	'6': {"###", "#..", "###", "#.#", "###"},
	'7': {"###", "..#", ".#.", ".#.", ".#."},
	'8': {"###", "#.#", "###", "#.#", "###"},
	'9': {"###", "#.#", "###", "..#", "###"},
	'A': {".#.", "#.#", "###", "#.#", "#.#"},
	'B': {"##.", "#.#", "##.", "#.#", "##."},
	'C': {".##", "#..", "#..", "#..", ".##"},
	'D': {"##.", "#.#", "#.#", "#.#", "##."},
	'E': {"###", "#..", "##.", "#..", "###"},
	'F': {"###", "#..", "##.", "#..", "#.."},
	'G': {".##", "#..", "#.#", "#.#", ".##"},
	'H': {"#.#", "#.#", "###", "#.#", "#.#"},
	'I': {"###", ".#.", ".#.", ".#.", "###"},
	'J': {"..#", "..#", "..#", "#.#", ".#."},
	'K': {"#.#", "#.#", "##.", "#.#", "#.#"},
	'L': {"#..", "#..", "#..", "#..", "###"},
	'M': {"#.#", "###", "###", "#.#", "#.#"},
	'N': {"##.", "#.#", "#.#", "#.#", "#.#"},
	'O': {".#.", "#.#", "#.#", "#.#", ".#."},
	'P': {"##.", "#.#", "##.", "#..", "#.."},
	'Q': {".#.", "#.#", "#.#", "##.", ".##"},
	'R': {"##.", "#.#", "##.", "#.#", "#.#"},
	'S': {".##", "#..", ".#.", "..#", "##."},
	'T': {"###", ".#.", ".#.", ".#.", ".#."},
	'U': {"#.#", "#.#", "#.#", "#.#", "###"},
	'V': {"#.#", "#.#", "#.#", "#.#", ".#."},
	'W': {"#.#", "#.#", "###", "###", "#.#"},
	'X': {"#.#", "#.#", ".#.", "#.#", "#.#"},
	'Y': {"#.#", "#.#", ".#.", ".#.", ".#."},
	'Z': {"###", "..#", ".#.", "#..", "###"},
}

// BigCodeWidth is the width BigCode needs for a code of n characters.
func BigCodeWidth(n int) int {
	if n <= 0 {
		return 0
	}
	w := n*6 + n - 1
	if n == 6 {
		w += 2
	}
	return w
}

// BigDigits draws a link code in large type: three lines of half blocks, or, when
// plain, five lines of '#'. Letters are drawn upper case; anything the font lacks is a
// gap. The middle of a six-character code gets a wider gap, as people read it in two
// groups. (The TUI draws no large type under --plain: a screen reader would spell it.)
func BigDigits(code string, plain bool) string {
	code = strings.ToUpper(code)
	n := len([]rune(code))
	bitmap := make([][]bool, 5)
	i := 0
	for _, r := range code {
		if i > 0 {
			gap := 1
			if n == 6 && i == 3 {
				gap = 3
			}
			for y := range bitmap {
				bitmap[y] = append(bitmap[y], make([]bool, gap)...)
			}
		}
		i++
		glyph, ok := font[r]
		if !ok {
			for y := range bitmap {
				bitmap[y] = append(bitmap[y], make([]bool, 6)...)
			}
			continue
		}
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
