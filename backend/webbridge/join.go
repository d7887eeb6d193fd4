package webbridge

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/stormdesk/stormdesk/backend/apperr"
)

// JoinRequest is POST /join's body: an invitation code, the name the new
// member wants (ignored when the invitation fixes one) and an optional
// password for later logins.
type JoinRequest struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// JoinResult is what a redeemed invitation gives the new member: a
// long-lived access token (shown this once) and who they now are.
type JoinResult struct {
	Token  string `json:"token"`
	Member Member `json:"member"`
}

// Joiner redeems invitations (the team server's database). It answers coded
// errors (backend/apperr): invite-invalid, name-taken, invalid-input; any
// other error is a failure to decide.
type Joiner func(ctx context.Context, in JoinRequest) (JoinResult, error)

// joinStatus is the HTTP status of each coded refusal of a join.
var joinStatus = map[string]int{
	apperr.CodeInviteInvalid: http.StatusUnauthorized,
	apperr.CodeNameTaken:     http.StatusConflict,
	apperr.CodeInvalidInput:  http.StatusBadRequest,
}

// serveJoin is POST /join: an invitation code exchanged for a new member
// and their access token. It needs no token (it hands one out), so it is
// limited per client address like /login, in the same bucket: whoever
// guesses codes and passwords from one address shares one budget.
func (t *Team) serveJoin(w http.ResponseWriter, r *http.Request) {
	if t.opts.Join == nil {
		writeError(w, http.StatusNotFound, "invitations are not enabled on this server")
		return
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		t.serveJoinPage(w, r) // the invitation link: a form that posts here
		return
	}
	if !postJSON(w, r, "join") {
		return
	}
	var in JoinRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxLoginBody))
	if err == nil {
		err = json.Unmarshal(body, &in)
	}
	if err != nil || strings.TrimSpace(in.Code) == "" {
		writeError(w, http.StatusBadRequest, apperr.Encode(apperr.InvalidInput("join", errors.New(`want {"code": ..., "name": ..., "password": ...}`))).Error())
		return
	}
	if !t.allow(w, r, t.logins.ByAddress, "addr:"+t.clientAddress(r)) {
		return
	}
	res, err := t.opts.Join(r.Context(), in)
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			if status, ok := joinStatus[ae.Code]; ok {
				writeError(w, status, apperr.Encode(err).Error())
				return
			}
		}
		if t.opts.Log != nil {
			t.opts.Log.Warn("webbridge: invitation not redeemed", "err", err)
		}
		writeError(w, http.StatusServiceUnavailable, apperr.Encode(apperr.Unreachable(errors.New("the invitation could not be checked; try again"))).Error())
		return
	}
	// A browser that joins is signed in at once, like one that logs in.
	http.SetCookie(w, &http.Cookie{
		Name: cookieName(r.Host), Value: res.Token, Path: "/",
		HttpOnly: true, Secure: t.g.secure, SameSite: http.SameSiteStrictMode,
	})
	writeJSON(w, http.StatusOK, res)
}
