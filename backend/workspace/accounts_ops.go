package workspace

import "context"

// TestAccount checks an account's credentials and reachability with one cheap
// call. The connector is made for this call alone and closed after it, so a
// test never disturbs the account's background sync.
func (w *Workspace) TestAccount(ctx context.Context, sec SecretStore, name string) error {
	_, conn, err := w.Connector(ctx, sec, name)
	if err != nil {
		return err
	}
	defer closeConn(conn)
	return conn.Test(ctx)
}
