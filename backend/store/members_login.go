package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// schemaMemberLogin lets members log in with a password (its argon2id hash,
// never the password) and tells session tokens, which a login issues and
// which expire, from access tokens an admin issues.
const schemaMemberLogin = `
ALTER TABLE members ADD COLUMN password_hash TEXT;
ALTER TABLE member_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'access' CHECK (kind IN ('access', 'session'));
ALTER TABLE member_tokens ADD COLUMN expires_at INTEGER;
`

// pgSchemaMemberLogin is schemaMemberLogin on PostgreSQL.
const pgSchemaMemberLogin = `
ALTER TABLE members ADD COLUMN password_hash TEXT;
ALTER TABLE member_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'access' CHECK (kind IN ('access', 'session'));
ALTER TABLE member_tokens ADD COLUMN expires_at BIGINT;
`

// ErrMemberDisabled is MemberByToken's answer for a disabled member's token.
// It wraps ErrNotFound: whoever only asks "may this token in" hears no.
var ErrMemberDisabled = fmt.Errorf("member disabled: %w", ErrNotFound)

// TokenKind says where a token came from.
type TokenKind string

const (
	TokenAccess  TokenKind = "access"  // issued by init or an admin; lasts until revoked
	TokenSession TokenKind = "session" // issued by a password login; expires
)

// MemberToken describes one token of a member, never the token itself: ID is
// the start of its hash, enough to name it for revoking.
type MemberToken struct {
	ID         string     `json:"id"`
	Kind       TokenKind  `json:"kind"`
	CreatedAt  time.Time  `json:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt"`
	ExpiresAt  *time.Time `json:"expiresAt"`
}

// tokenIDLength is how many hex digits of a token's hash name it.
const tokenIDLength = 12

// MemberByName returns the member called name (names are unique).
func (s *Store) MemberByName(ctx context.Context, name string) (Member, error) {
	m, err := scanMember(s.db.QueryRowContext(ctx, `SELECT id, name, role, disabled, created_at FROM members WHERE name = ?`, strings.TrimSpace(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return Member{}, fmt.Errorf("store: member %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return Member{}, fmt.Errorf("store: member %q: %w", name, err)
	}
	return m, nil
}

// SetMemberRole changes member id's role.
func (s *Store) SetMemberRole(ctx context.Context, id int64, role Role) error {
	if role != RoleAdmin && role != RoleApprover && role != RoleAgent {
		return fmt.Errorf("store: set role of member %d: unknown role %q", id, role)
	}
	return s.updateMember(ctx, "set role of", id, "role", string(role))
}

// SetMemberPassword stores the hash of member id's password (the caller
// hashes: backend/team.HashPassword); "" removes the password.
func (s *Store) SetMemberPassword(ctx context.Context, id int64, hash string) error {
	v := sql.NullString{String: hash, Valid: hash != ""}
	return s.updateMember(ctx, "set password of", id, "password_hash", v)
}

// MemberPassword returns the member called name and their password hash,
// or ErrNotFound when there is no such member or they have no password.
// A disabled member is returned too: the caller refuses them.
func (s *Store) MemberPassword(ctx context.Context, name string) (Member, string, error) {
	var hash sql.NullString
	var m Member
	var role string
	var created int64
	err := s.db.QueryRowContext(ctx, `SELECT id, name, role, disabled, created_at, password_hash FROM members WHERE name = ?`,
		strings.TrimSpace(name)).Scan(&m.ID, &m.Name, &role, &m.Disabled, &created, &hash)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !hash.Valid) {
		return Member{}, "", fmt.Errorf("store: password of member %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return Member{}, "", fmt.Errorf("store: password of member %q: %w", name, err)
	}
	m.Role, m.CreatedAt = Role(role), fromMS(created)
	return m, hash.String, nil
}

// IssueSessionToken creates a token for member id that expires after ttl
// (a password login's session) and returns it, once.
func (s *Store) IssueSessionToken(ctx context.Context, id int64, ttl time.Duration) (string, time.Time, error) {
	now := s.now()
	expires := fromMS(ms(now.Add(ttl)))
	var token string
	err := s.inTx(ctx, fmt.Sprintf("store: issue session for member %d", id), func(tx *sql.Tx) error {
		var disabled bool
		if err := tx.QueryRowContext(ctx, `SELECT disabled FROM members WHERE id = ?`, id).Scan(&disabled); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if disabled {
			return ErrMemberDisabled
		}
		// Expired sessions are of no use to anyone; a login clears its member's.
		if _, err := tx.ExecContext(ctx, `DELETE FROM member_tokens WHERE member_id = ? AND expires_at <= ?`, id, ms(now)); err != nil {
			return err
		}
		var err error
		token, err = insertTokenKind(ctx, tx, id, now, TokenSession, &expires)
		return err
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return token, expires, nil
}

// MemberTokens lists member id's tokens, oldest first.
func (s *Store) MemberTokens(ctx context.Context, id int64) ([]MemberToken, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT hash, kind, created_at, last_used_at, expires_at FROM member_tokens WHERE member_id = ? ORDER BY created_at, hash`, id)
	if err != nil {
		return nil, fmt.Errorf("store: tokens of member %d: %w", id, err)
	}
	defer rows.Close()
	var out []MemberToken
	for rows.Next() {
		var hash []byte
		var kind string
		var created int64
		var used, expires sql.NullInt64
		if err := rows.Scan(&hash, &kind, &created, &used, &expires); err != nil {
			return nil, fmt.Errorf("store: tokens of member %d: %w", id, err)
		}
		out = append(out, MemberToken{ID: hex.EncodeToString(hash)[:tokenIDLength], Kind: TokenKind(kind),
			CreatedAt: fromMS(created), LastUsedAt: nullMS(used), ExpiresAt: nullMS(expires)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: tokens of member %d: %w", id, err)
	}
	return out, nil
}

// RevokeMemberToken deletes member id's token named tokenID (MemberToken.ID,
// or a longer start of its hash); the token lets nobody in from then on.
func (s *Store) RevokeMemberToken(ctx context.Context, id int64, tokenID string) error {
	tokenID = strings.ToLower(strings.TrimSpace(tokenID))
	if len(tokenID) < tokenIDLength {
		return fmt.Errorf("store: revoke token %q: give at least %d hex digits of its id: %w", tokenID, tokenIDLength, ErrNotFound)
	}
	return s.inTx(ctx, fmt.Sprintf("store: revoke token %s of member %d", tokenID, id), func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT hash FROM member_tokens WHERE member_id = ?`, id)
		if err != nil {
			return err
		}
		var match [][]byte
		for rows.Next() {
			var h []byte
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return err
			}
			if strings.HasPrefix(hex.EncodeToString(h), tokenID) {
				match = append(match, h)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		switch len(match) {
		case 0:
			return ErrNotFound
		case 1:
		default:
			return fmt.Errorf("%d tokens start so; give more digits", len(match))
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM member_tokens WHERE hash = ?`, match[0])
		return err
	})
}
