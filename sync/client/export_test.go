package client

// SetVersions makes c state desk as its version and take servers from
// minServer on, as a desk of another release would (tests of the
// version handshake).
func SetVersions(c *Client, desk, minServer string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version, c.minServer = desk, minServer
}
