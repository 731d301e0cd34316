# billwatch — the commands a developer needs. `make demo` and `make test` are all a newcomer runs.
GO ?= go
PKGS := ./...

.PHONY: all build test demo bench lint fuzz clean screenshots

all: build

build:
	$(GO) build -o bin/billwatch ./cmd/billwatch

# vet, then every test with the race detector. CI runs exactly this (.ci/run).
test:
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 $(PKGS)

# The whole pipeline, offline, on the bundled fixtures served on loopback.
demo:
	$(GO) run ./cmd/billwatch demo

# Benchmarks, each against a named reference in the same run (see README, "Performance").
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./diff ./scraper/legisinfo ./cmd/billwatch ./tracker

# gofmt, vet and staticcheck (staticcheck is fetched through the Go module proxy).
lint:
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || (echo "gofmt: files above need formatting" && exit 1)
	$(GO) vet $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(PKGS)

# The README's screenshots of the web interface (docs/web-*.png), taken with chromium.
screenshots:
	$(GO) test -run '^TestScreenshots$$' -count=1 ./cmd/billwatch -args -screenshots=$(CURDIR)/docs

# A minute of fuzzing for each parser.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParseList -fuzztime 60s ./scraper/legisinfo
	$(GO) test -run '^$$' -fuzz FuzzParseRecord -fuzztime 60s ./scraper/legisinfo

clean:
	rm -rf bin
