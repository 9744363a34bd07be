#!/usr/bin/env bash
# Runs every fuzz target of the module for $FUZZTIME each (go test takes one target at
# a time), so that a new Fuzz function is picked up without editing the Makefile.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${FUZZTIME:=30s}"
grep -rl --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]+\(' . | sort | while read -r file; do
  pkg="./$(dirname "${file#./}")"
  grep -oE '^func Fuzz[A-Za-z0-9_]+' "$file" | sed 's/^func //' | while read -r target; do
    echo "fuzz $pkg $target ($FUZZTIME)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg" </dev/null
  done
done
