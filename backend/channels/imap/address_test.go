package imap

import "testing"

func TestExtractAddress(t *testing.T) {
	tests := []struct {
		in, addr, name string
		ok             bool
	}{
		{`Olga Petrova <olga@example.ru>`, "olga@example.ru", "Olga Petrova", true},
		{`"Petrova, Olga" <olga@example.ru>`, "olga@example.ru", "Petrova, Olga", true},
		{`olga@example.ru`, "olga@example.ru", "", true},
		{`<olga@example.ru>`, "olga@example.ru", "", true},
		{`houston <.ward@enron.com>`, ".ward@enron.com", "houston", true},
		{`"Ward, Kim" <.kim.ward.@enron.com>`, ".kim.ward.@enron.com", "Ward, Kim", true},
		{`"Broken quote <broken@example.com>`, "broken@example.com", "Broken quote", true},
		{`Broken" Quote" <bq@example.com>`, "bq@example.com", "Broken Quote", true},
		{`Missing Bracket <mb@example.com`, "mb@example.com", "Missing Bracket", true},
		{`jane@example.com (Jane Doe)`, "jane@example.com", "Jane Doe", true},
		{`jane@example.com (Jane (the) Doe)`, "jane@example.com", "Jane (the) Doe", true},
		{`Jane Doe jane@example.com`, "jane@example.com", "Jane Doe", true},
		{`=?UTF-8?B?0JjQstCw0L0=?= <ivan@example.ru>`, "ivan@example.ru", "Иван", true},
		{`"=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=" <joerg@example.de>`, "joerg@example.de", "Jörg Müller", true},
		{`=?UTF-8?Q?J=C3=B6rg?= <.joerg@example.de>`, ".joerg@example.de", "Jörg", true},
		{`"john@example.com" <john@example.com>`, "john@example.com", "", true},
		{`"Sales <sales@fake.example>" <real@example.com>`, "real@example.com", "Sales <sales@fake.example>", true},
		{`Gateway User <gw.user@example.com@relay.example.net>`, "gw.user@example.com", "Gateway User", true},
		{`double <dd@@example.com>`, "dd@example.com", "double", true},
		{`Joe <mailto:joe@example.com>`, "joe@example.com", "Joe", true},
		{`first@example.com, second@example.com`, "first@example.com", "", true},
		{"Folded\r\n Name <folded@example.com>", "folded@example.com", "Folded Name", true},
		{`"Esc\"aped" <esc@example.com>`, "esc@example.com", `Esc"aped`, true},
		{`Mail Delivery Subsystem`, "", "", false},
		{`<>`, "", "", false},
		{``, "", "", false},
		{`@example.com`, "", "", false},
	}
	for _, tt := range tests {
		addr, name, ok := extractAddress(tt.in)
		if addr != tt.addr || name != tt.name || ok != tt.ok {
			t.Errorf("extractAddress(%q) = %q, %q, %v; want %q, %q, %v", tt.in, addr, name, ok, tt.addr, tt.name, tt.ok)
		}
	}
}
