package graph

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// Paging is Graph's cursor paging of a list answer.
type Paging struct {
	Cursors struct {
		Before string `json:"before"`
		After  string `json:"after"`
	} `json:"cursors"`
	Next     string `json:"next"`
	Previous string `json:"previous"`
}

// Page is one page of a Graph list edge.
type Page[T any] struct {
	Data   []T    `json:"data"`
	Paging Paging `json:"paging"`
}

// More reports whether another page follows. Meta leaves out next on the
// last page, while cursors.after may still be set, so next decides.
func (p Page[T]) More() bool { return p.Paging.Next != "" && p.Paging.Cursors.After != "" }

// List reads an edge page by page (limit per page), calling each with every
// page's items until it returns false, the pages end, or maxPages were read
// (0 = no bound). It follows cursors.after rather than the next URL, so the
// token and base address stay the client's own.
func List[T any](ctx context.Context, cl *Client, token, path string, q url.Values, limit, maxPages int, permission string, each func([]T) bool) error {
	v := url.Values{}
	for k, x := range q {
		v[k] = x
	}
	if limit > 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	for n := 1; ; n++ {
		var p Page[T]
		if err := cl.Get(ctx, token, path, v, permission, &p); err != nil {
			return err
		}
		if !each(p.Data) || !p.More() || (maxPages > 0 && n >= maxPages) {
			return nil
		}
		if v.Get("after") == p.Paging.Cursors.After {
			return fmt.Errorf("%s GET %s: the after cursor did not move", cl.platform, path)
		}
		v.Set("after", p.Paging.Cursors.After)
	}
}
