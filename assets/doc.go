// Package assets holds handoff's embedded data: the simulated device presets, the list
// of TV providers (MVPDs) the sandbox knows, and the help text. Standard library only.
package assets
