package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/cli"
)

// A model file from a newer build (a feature version this one lacks) is
// refused with its own code, so Settings can say "update Stormdesk" rather
// than "invalid file"; a file that is no model at all stays invalid input.
func TestImportSentimentModelCodes(t *testing.T) {
	a := NewApp(slog.New(slog.DiscardHandler), cli.BuildInfo{}, filepath.Join(t.TempDir(), "stormdesk.db"), false)
	a.emit = func(context.Context, string, ...any) {}
	ctx, cancel := context.WithCancel(context.Background())
	a.startup(ctx)
	t.Cleanup(func() { cancel(); a.shutdown(context.Background()) })
	if _, err := a.workspace(); err != nil {
		t.Fatalf("workspace: %v", err)
	}
	// Load reads the provenance, and refuses the version, before the weights.
	info := []byte(`{"name":"from a newer build","features":9}`)
	var newer bytes.Buffer
	zw := gzip.NewWriter(&newer)
	zw.Write([]byte("STORMDESK-SENTIMENT-3\n"))
	zw.Write([]byte{byte(len(info))})
	zw.Write(info)
	zw.Close()

	svc := &ModelSettingsService{app: a}
	for _, tc := range []struct {
		name, file, code string
		params           map[string]string
	}{
		{"newer feature version", base64.StdEncoding.EncodeToString(newer.Bytes()), apperr.CodeModelFeaturesUnknown, map[string]string{"version": "9", "latest": "2"}},
		{"not a model", base64.StdEncoding.EncodeToString([]byte("hello")), apperr.CodeInvalidInput, map[string]string{"field": "model"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.ImportSentimentModel(tc.file)
			if err == nil {
				t.Fatal("import succeeded")
			}
			code, params, _, ok := apperr.Decode(err.Error())
			if !ok || code != tc.code || len(params) != len(tc.params) {
				t.Fatalf("import error %q: code %s params %v, want %s %v", err, code, params, tc.code, tc.params)
			}
			for k, v := range tc.params {
				if params[k] != v {
					t.Errorf("param %s = %q, want %q", k, params[k], v)
				}
			}
		})
	}
	if m, err := svc.SentimentModel(); err != nil || m.Origin != "shipped" {
		t.Errorf("after refused imports the model is %+v (%v), want the shipped one", m, err)
	}
}
