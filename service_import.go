package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels/fileimport"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// ImportService imports a CSV or JSON-lines file from the window, as
// `stormdesk import` does from a terminal (both go through workspace.Import).
type ImportService struct {
	app *App
	as
}

// ImportColumns names the CSV columns (by header) that hold what; empty ones
// are not in the file. JSON lines ignore them.
type ImportColumns struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Time      string `json:"time"`
	Author    string `json:"author"`
	Thread    string `json:"thread"`
	Direction string `json:"direction"`
	Account   string `json:"account"`
}

// ImportRequest is one import: a file on this machine (Path) or, from a
// browser, which cannot hand over a path, the file's text (Name and Content).
type ImportRequest struct {
	Path       string        `json:"path"`
	Name       string        `json:"name"`
	Content    string        `json:"content"`
	Format     string        `json:"format"` // csv, jsonl or auto
	Historical bool          `json:"historical"`
	Columns    ImportColumns `json:"columns"`
}

// FilePick says what PickFile did: Dialog is false outside the window (the
// page then takes an upload or a path); Path is empty when the user cancelled.
type FilePick struct {
	Dialog bool   `json:"dialog"`
	Path   string `json:"path"`
}

// PickFile asks for the file to import with the window's native open dialog.
func (s *ImportService) PickFile() (FilePick, error) {
	wctx, ok := s.app.dialogContext()
	if !ok {
		return FilePick{}, nil
	}
	path, err := wruntime.OpenFileDialog(wctx, wruntime.OpenDialogOptions{
		Filters: []wruntime.FileFilter{{DisplayName: "CSV, JSON lines (*.csv, *.jsonl, *.ndjson, *.json)", Pattern: "*.csv;*.jsonl;*.ndjson;*.json"}},
	})
	return FilePick{Dialog: true, Path: path}, apperr.Encode(err)
}

// Import stores the rows of one file, reporting progress as import:progress
// events, and returns what was imported, what was already there and which
// rows were skipped and why.
func (s *ImportService) Import(req ImportRequest) (workspace.ImportResult, error) {
	return call(s.app, func(ctx context.Context, ws *workspace.Workspace) (workspace.ImportResult, error) {
		var r io.Reader = strings.NewReader(req.Content)
		name := req.Name
		if req.Path != "" {
			f, err := os.Open(req.Path)
			if err != nil {
				return workspace.ImportResult{SkippedRows: []fileimport.RowError{}, Warnings: []fileimport.RowError{}},
					apperr.ImportUnreadable(filepath.Base(req.Path), err)
			}
			defer f.Close()
			r, name = f, req.Path
		}
		file := filepath.Base(name)
		c := req.Columns
		res, err := ws.Import(ctx, r, workspace.ImportOptions{
			Name: name, Format: req.Format, Historical: req.Historical, Now: time.Now(),
			Mapping: fileimport.Mapping{ID: c.ID, Text: c.Text, Time: c.Time, Author: c.Author,
				Thread: c.Thread, Direction: c.Direction, Account: c.Account},
			Progress: func(rows int) { s.app.emitImportProgress(s.toPage(ctx), ImportProgress{File: file, Rows: rows}) },
		})
		res.File = file
		s.app.emitImportProgress(s.toPage(ctx), ImportProgress{File: file, Rows: res.Rows, Done: true})
		if res.Imported > 0 {
			s.app.emitInboxChanged(ctx)
		}
		return res, err
	})
}
