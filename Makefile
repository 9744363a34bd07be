# handoff — `make run` starts the app on its embedded sandbox, `make test` runs every test.
GO       ?= go
BIN      := bin/handoff
FUZZTIME ?= 30s

.PHONY: run build test bench fuzz lint clean

run:
	$(GO) run ./cmd/handoff

build:
	$(GO) build -o $(BIN) ./cmd/handoff

# The race detector is on for every test; the fuzz targets get a short run on top of
# their seed corpus (which `go test` already runs).
test: lint
	$(GO) test -race -count=1 -timeout 20m ./...
	FUZZTIME=5s ./scripts/fuzz.sh

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...

fuzz:
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

# The cross-vets build every package and test for the other systems handoff runs on.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=windows $(GO) vet ./...
	GOOS=darwin $(GO) vet ./...

clean:
	rm -rf bin
