# handoff — `make run` starts the app on its embedded sandbox, `make test` runs every test.
GO       ?= go
BIN      := bin/handoff
FUZZTIME ?= 30s
# --version names the commit and its date: stamped here, since go build cannot read
# them in a git worktree or with -buildvcs=false.
VERSION  ?= $(shell git describe --tags --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse HEAD 2>/dev/null)
DATE     ?= $(shell git log -1 --format=%cI 2>/dev/null)
LDFLAGS  := -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)

.PHONY: run build test bench load fuzz lint clean

run:
	$(GO) run -ldflags '$(LDFLAGS)' ./cmd/handoff

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/handoff

# The race detector is on for every test; the fuzz targets get a short run on top of
# their seed corpus (which `go test` already runs).
test: lint
	$(GO) test -race -count=1 -timeout 20m ./...
	FUZZTIME=5s ./scripts/fuzz.sh

# Each sandbox benchmark that has a speed goal runs beside a bare net/http baseline
# answering the same body size, in the same run; `make load` does the same with wrk
# against `handoff serve` (memory and bbolt), DUR and REPEAT tune it.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...

load:
	./scripts/load.sh

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
