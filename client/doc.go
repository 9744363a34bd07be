// Package client speaks the SSO service's wire contract (shared/spec/sso-service.md):
// a typed method per endpoint (Client), and a simulated device that walks the steps of
// the flow and keeps its secrets in a keystore.Store (Device). The TUI and the CLI both
// drive Device; nothing of the flow is written twice.
package client
