package channels

import (
	"encoding/json"
	"fmt"
)

// DecodeCursor reads a cursor a connector stored as JSON into v; "" (the
// first sync) leaves v as it is. A damaged cursor cannot be repaired from
// here, so the error names the way out.
func DecodeCursor(platform, s string, v any) error {
	if s == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("%s: stored cursor is damaged (%v); clear the sync position of this account to start over", platform, err)
	}
	return nil
}

// EncodeCursor is the stored form of a JSON cursor. Cursors are plain
// structs of strings, numbers and times, which always encode.
func EncodeCursor(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
