package sentiment

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvRows hands every record of cr to row until the end of the file. It stops
// early on a cancelled ctx or a broken line, naming the file kind and the line:
// first is the line number of the first record (2 after a header).
func csvRows(ctx context.Context, cr *csv.Reader, what string, first int, row func(rec []string)) error {
	for line := first; ; line++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s line %d: %w", what, line, err)
		}
		row(rec)
	}
}

// headerColumns maps each column name of a header row to its index; names are
// trimmed, and a byte-order mark before the first one is dropped.
func headerColumns(head []string) map[string]int {
	col := make(map[string]int, len(head))
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	return col
}

// field returns column i of rec, or "" when the row is shorter.
func field(rec []string, i int) string {
	if i >= 0 && i < len(rec) {
		return rec[i]
	}
	return ""
}
