package webbridge

import (
	"bytes"
	_ "embed"
	"encoding/json"
)

//go:embed shim.js
var shimSource []byte

// buildShim fills the bound method list into the shim, so the page needs no extra round trip.
func (b *Bridge) buildShim() []byte {
	list, _ := json.Marshal(b.Methods()) // a []string always encodes
	return bytes.Replace(shimSource, []byte("/*METHODS*/[]"), list, 1)
}
