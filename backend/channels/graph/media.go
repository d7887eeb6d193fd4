package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// Download GETs the media at rawURL (an absolute URL Meta gave: WhatsApp's
// short-lived media URL, a Messenger or Instagram attachment URL) and copies
// at most max bytes of it to w. token is sent as a bearer token when not ""
// (WhatsApp's media host wants it; a CDN link must not receive it). Meta's
// 429 with Retry-After and its transient answers are retried before any byte
// is written; a body cut off midway is not, since w already holds part of it.
// It returns the bytes written and the answer's Content-Type.
func (cl *Client) Download(ctx context.Context, token, rawURL string, max int64, w io.Writer) (int64, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return 0, "", fmt.Errorf("%s media: %w: not a web address", cl.platform, channels.ErrMediaUnavailable)
	}
	what := "GET media " + u.Host + u.Path
	var resp *http.Response
	err = cl.retry.Do(ctx, true, func() error {
		r, err := cl.openMedia(ctx, token, rawURL, max)
		resp = r
		return err
	})
	if err != nil {
		return 0, "", fmt.Errorf("%s %s: %w", cl.platform, what, err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, io.LimitReader(resp.Body, max+1))
	if err != nil {
		return n, "", fmt.Errorf("%s %s: %w: %v", cl.platform, what, channels.ErrTransport, channels.Redact(err.Error(), token))
	}
	if n > max {
		return n, "", fmt.Errorf("%s %s: %w", cl.platform, what, &channels.MediaTooLargeError{Size: n, Limit: max})
	}
	return n, resp.Header.Get("Content-Type"), nil
}

// openMedia sends one GET and keeps the answer open when it is 200 and not
// larger than max by its Content-Length.
func (cl *Client) openMedia(ctx context.Context, token, rawURL string, max int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := cl.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %s", channels.ErrTransport, channels.Redact(err.Error(), token))
	}
	if resp.StatusCode == http.StatusOK {
		if resp.ContentLength > max {
			resp.Body.Close()
			return nil, &channels.MediaTooLargeError{Size: resp.ContentLength, Limit: max}
		}
		return resp, nil
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone ||
		(resp.StatusCode == http.StatusForbidden && token == "") {
		// A lapsed signed link answers 403 on Meta's CDN; a media URL
		// asked for after its 5 minutes, or deleted media, 404.
		return nil, fmt.Errorf("%w (HTTP %d)", channels.ErrMediaExpired, resp.StatusCode)
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10)) // a CDN's refusal is HTML or empty: judged by its status
	return nil, cl.refusal(resp, raw, "GET media", "")
}

// IsMissingObject says Meta answered that the object asked for does not exist
// (code 100, e.g. subcode 33 "Object with ID … does not exist"): for media,
// that it expired or was deleted.
func IsMissingObject(err error) bool {
	var ge *Error
	return errors.As(err, &ge) && ge.Code == CodeBadParameter
}
