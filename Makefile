# billwatch — the commands a developer needs. `make demo` and `make test` are all a newcomer runs.
GO ?= go
PKGS := ./...

.PHONY: all build test faults demo bench bench-go lint fuzz clean screenshots

all: build

# Without cgo: billwatch needs none, and a static binary starts about 1 ms of CPU faster than
# one that loads the C library. cgo would bring in only the C DNS resolver; Go's own reads
# /etc/nsswitch.conf, /etc/hosts and /etc/resolv.conf. Not stripped: -s -w measured no faster.
build:
	CGO_ENABLED=0 $(GO) build -o bin/billwatch ./cmd/billwatch

# vet, then every test with the race detector but the fault matrix (see faults). CI runs this,
# then `make faults` (.ci/run).
test:
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -skip '^TestFaultMatrix' $(PKGS)

# The fault matrix (cmd/billwatch/faults*_test.go): each source against each site fault (503,
# hang, cut short, half page, soft 404, empty, wrong type, oversize, redirect loop), Slack
# faults, damaged database files; it prints its tables at the end. It takes over a minute
# with the race detector (about 60 s of CPU; 4 min of wall time on this loaded machine), so `make test` leaves
# it out and CI runs it after `make test`. It runs in the package folder so that its tables show.
faults:
	cd cmd/billwatch && $(GO) test -race -count=1 -parallel 8 -run '^TestFaultMatrix'

# The whole pipeline, offline, on the bundled fixtures served on loopback.
demo:
	$(GO) run ./cmd/billwatch demo

# Whole processes against named references, as processes (internal/benchcmp; README,
# "Performance"): `billwatch diff --format json` against `git diff --no-index --word-diff=plain`
# on the real bill pairs in ../shared/samples and on synthetic 1, 5 and 20 MB bills, CPU from
# rusage, medians of 15 alternating runs; `billwatch version` CPU; the daemon's RSS between passes.
# Then the web (each page, the 5 MB omnibus diff page first and repeat view, 50 clients for 10 s
# while passes write), lineage of one bill against 10,000 (and one full comparison, its
# reference), what a bills pass reads of 400 to 4,000 stored bills (the past it links new bills
# to), and the law of a 5 MB omnibus bill.
bench:
	$(GO) run ./internal/benchcmp
	$(GO) test -run '^$$' -bench '^BenchmarkWeb' -benchmem -benchtime 3x ./cmd/billwatch
	$(GO) test -run '^$$' -bench 'Lineage|PastBills' -benchmem -benchtime 3x ./tracker
	$(GO) test -run '^$$' -bench Omnibus -benchmem -benchtime 3x ./law

# The in-process Go benchmarks: parsing, passes, the daemon's heap.
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./diff ./scraper/legisinfo ./cmd/billwatch ./law ./tracker

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
	$(GO) test -run '^$$' -fuzz FuzzApply -fuzztime 60s ./law
	$(GO) test -run '^$$' -fuzz 'FuzzParse$$' -fuzztime 60s ./diff
	$(GO) test -run '^$$' -fuzz FuzzReadTree -fuzztime 60s ./diff

clean:
	rm -rf bin
