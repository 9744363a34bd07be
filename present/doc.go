// Package present is what the CLI and the TUI both show: a device's display name and
// the order devices are listed in, times and dates in one format, how a device joined
// its profile in words, link codes grouped and drawn in large type, and QR images.
// Both import it so that a word never differs from one to the other.
package present
