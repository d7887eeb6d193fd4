package workspace

import (
	"reflect"
	"strings"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// ListeningSettingField is one field of a source kind's settings JSON as
// the settings form edits it.
type ListeningSettingField struct {
	Name string `json:"name"` // the JSON key
	// Type is "text", "number" or "list" (a list of strings, typed comma-separated).
	Type string `json:"type"`
	// Optional fields may stay empty (the source then uses its default).
	Optional bool `json:"optional"`
}

// ListeningKindInfo describes a listening source kind for the settings form.
type ListeningKindInfo struct {
	Kind    string                  `json:"kind"`
	Fields  []ListeningSettingField `json:"fields"`
	Secrets []channels.Secret       `json:"secrets"`
}

// ListeningKindInfos lists every source kind with its settings fields and
// secrets. The fields are read from each package's Settings struct, so the
// form follows what Open decodes without a second list to keep in step.
func ListeningKindInfos() []ListeningKindInfo {
	var out []ListeningKindInfo
	for _, p := range sourcePackages() {
		out = append(out, ListeningKindInfo{Kind: p.kind, Fields: settingFields(reflect.TypeOf(p.settings)), Secrets: p.secrets})
	}
	return out
}

func settingFields(t reflect.Type) []ListeningSettingField {
	out := make([]ListeningSettingField, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		typ := "text"
		switch f.Type.Kind() {
		case reflect.Int, reflect.Int64, reflect.Int32:
			typ = "number"
		case reflect.Slice:
			typ = "list"
		}
		out = append(out, ListeningSettingField{Name: name, Type: typ, Optional: strings.Contains(opts, "omitempty")})
	}
	return out
}
