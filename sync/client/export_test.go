package client

import "context"

// SetVersions makes c state desk as its version and take servers from
// minServer on, as a desk of another release would (tests of the
// version handshake).
func SetVersions(c *Client, desk, minServer string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version, c.minServer = desk, minServer
}

// AccessToken is c's access token, renewed first when it is near its end:
// for a benchmark that sends the desk's own commands itself.
func AccessToken(ctx context.Context, c *Client) (string, error) { return c.token(ctx) }
