// Package swarm puts a crowd of simulated TVs on an SSO server: each TV's phone signs
// in and makes a link code, the TV redeems it, lists and refreshes for a while, then
// both unlink. It measures every HTTP call (latency percentiles by route) and counts
// the refusals by API code, through package client only, so it runs against any
// server the client supports.
package swarm
