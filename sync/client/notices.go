package client

import (
	"context"
	"net/http"

	"dossier/sync"
)

// FetchNotices reads the program's maintenance notices from the server
// without signing in (GET /v1/notices) and keeps them on the desk, so
// that the sign-in screen announces a window even on a desk nobody has
// signed in on yet. A signed-in desk receives them by the change feed as
// well. It leaves the status alone: the top bar reports the sync.
func (c *Client) FetchNotices(ctx context.Context) error {
	var resp sync.NoticesResponse
	if err := c.do(ctx, http.MethodGet, "/v1/notices", nil, &resp, false); err != nil {
		return err
	}
	return c.st.KeepNotices(resp.Notices)
}
