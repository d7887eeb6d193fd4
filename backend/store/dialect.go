package store

import (
	"context"
	"database/sql/driver"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/stdlib"
)

// dialect is what differs in the SQL the two engines accept. The store's
// queries are written once, in the subset both understand (ON CONFLICT,
// RETURNING, string_agg, CASE instead of scalar max), with ? placeholders;
// the PostgreSQL connection rebinds those to $n (see pgConn). What cannot be
// shared is asked of the dialect.
type dialect struct{ pg bool }

// jsonArrayAgg aggregates JSON arrays of cols into one JSON array text,
// "[]" when there are no rows.
func (d dialect) jsonArrayAgg(cols string) string {
	if d.pg {
		return `coalesce(json_agg(json_build_array(` + cols + `))::text, '[]')`
	}
	return `json_group_array(json_array(` + cols + `))`
}

// indexedBy pins SQLite's choice of index (its planner misjudges the inbox's
// keyset ranges); PostgreSQL has no such clause and plans them well.
func (d dialect) indexedBy(index string) string {
	if d.pg {
		return ""
	}
	return " INDEXED BY " + index
}

// notIndexed keeps SQLite from choosing an index where reading the table in
// id order is cheaper.
func (d dialect) notIndexed() string {
	if d.pg {
		return ""
	}
	return " NOT INDEXED"
}

// IsPostgresDSN reports whether Open's argument names a PostgreSQL database.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// rebind rewrites ? placeholders as PostgreSQL's $1, $2, ... and ?NNN as
// $NNN. A ? inside a string literal, a quoted identifier or a comment is
// left alone.
func rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var sb strings.Builder
	sb.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			// Copy through the closing quote; a doubled quote is an escaped one
			// and simply reopens the literal on the next turn.
			j := strings.IndexByte(query[i+1:], c)
			if j < 0 {
				sb.WriteString(query[i:])
				return sb.String()
			}
			sb.WriteString(query[i : i+j+2])
			i += j + 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				sb.WriteString(query[i:])
				return sb.String()
			}
			sb.WriteString(query[i : i+j+1])
			i += j
		case c == '/' && i+1 < len(query) && query[i+1] == '*':
			j := strings.Index(query[i+2:], "*/")
			if j < 0 {
				sb.WriteString(query[i:])
				return sb.String()
			}
			sb.WriteString(query[i : i+j+4])
			i += j + 3
		case c == '?':
			// ?NNN names a parameter by number, as $NNN does.
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			sb.WriteByte('$')
			if j > i+1 {
				sb.WriteString(query[i+1 : j])
				i = j - 1
				continue
			}
			n++
			sb.WriteString(strconv.Itoa(n))
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// pgConnector hands out pgConns, so every query through database/sql is rebound.
type pgConnector struct{ inner driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{Conn: conn.(*stdlib.Conn)}, nil
}

func (c pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is pgx's database/sql connection with ? placeholders rebound; all
// else (transactions, value conversion, session reset) is pgx's own.
type pgConn struct{ *stdlib.Conn }

// CheckNamedValue stores a Go bool as 0 or 1: flags are integer columns on
// both engines (SQLite has no boolean type), and pgx does not encode a bool
// into a bigint by itself.
func (c *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		nv.Value = int64(0)
		if b {
			nv.Value = int64(1)
		}
		return nil
	}
	return c.Conn.CheckNamedValue(nv)
}

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(rebind(query))
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(query))
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, rebind(query), args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, rebind(query), args)
}

// forUpdate ends a select of rows the transaction will rewrite: on
// PostgreSQL they stay locked until it ends, so another instance's
// transaction cannot change them in between. SQLite's write transactions
// (BEGIN IMMEDIATE) hold the whole database already.
func (d dialect) forUpdate() string {
	if d.pg {
		return ` FOR UPDATE`
	}
	return ""
}
