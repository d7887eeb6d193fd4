// Package team holds the team server's membership rules: what each role may
// do (Allows), the coded refusals the server answers with, member passwords
// (argon2id) and the login rate limiter. The server maps every bound call to
// an Action (root permissions.go) and asks Allows before the call runs.
package team
