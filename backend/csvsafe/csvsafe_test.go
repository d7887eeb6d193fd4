package csvsafe

import "testing"

func TestCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Anna Koch", "Anna Koch"},
		{"=HYPERLINK(\"http://evil.example\",\"click\")", "'=HYPERLINK(\"http://evil.example\",\"click\")"},
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"+7 (495) 123-45-67", "'+7 (495) 123-45-67"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"-12", "-12"},
		{"-0.5", "-0.5"},
		{"+3", "+3"},
		{"42", "42"},
		{"a=b", "a=b"},
		{"Ünal — @home", "Ünal — @home"},
	}
	for _, tt := range tests {
		if got := Cell(tt.in); got != tt.want {
			t.Errorf("Cell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	rec := []string{"=1", "ok"}
	if got := Row(rec); got[0] != "'=1" || got[1] != "ok" || &got[0] != &rec[0] {
		t.Errorf("Row = %q", got)
	}
}
