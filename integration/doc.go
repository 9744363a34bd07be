// Package integration holds only tests: the client package's Device against a real
// sandbox on a loopback socket, for every store driver, and against seedserver, a
// service written from the seeds alone; a contract test that keeps the client's wire
// types and the sandbox's answers in step; and the whole-flow benchmark.
package integration
