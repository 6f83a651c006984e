# shipshape — see README.md. `make demo` runs the main job, `make test` every test.
.PHONY: demo test corpus engine kube kube-node build install docs fuzz bench bench-tree bench-kube bench-examples bench-proxy proxy-image clean

GO ?= go
FUZZTIME ?= 10m
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)

demo:            ## build shipshape, check the examples and the seed reports
	scripts/demo.sh

test:            ## every test: gofmt, vet, the engine, go test ./..., and the demo
	scripts/test.sh

corpus:          ## init's detection, check's judged findings on the real trees of testdata/*-corpus, and agreement with hadolint's spec files (trees from local snapshots)
	scripts/corpus.sh && mkdir -p .cache
	$(GO) test -tags corpus -count=1 -run 'TestCorpus$$|TestHadolintSpecs$$' -v ./internal/detect ./internal/lint/rules/all ./internal/lint/rules/dockerfile > .cache/corpus.log 2>&1; status=$$?; \
	  grep -E '^corpus:|--- FAIL|corpus_test.go:[0-9]+: ' .cache/corpus.log; exit $$status

engine:          ## install and start Docker, compose and the offline base images (test does this)
	scripts/engine.sh

kube:            ## build (once) and start a Kubernetes control plane on 127.0.0.1 (test does this)
	scripts/kube-testbed.sh

kube-node: kube  ## and a real node beside it (kubelet, containerd, kube-proxy); scripts/kube-node.sh stop ends it (test starts and stops one)
	scripts/kube-node.sh start

build:           ## bin/shipshape
	$(GO) build -ldflags "-X github.com/shipshape/shipshape/internal/cli.version=$(VERSION)" -o bin/shipshape ./cmd/shipshape

install:
	$(GO) install ./cmd/shipshape

docs:            ## regenerate docs/rules.md from the rule registry and docs/cli.md from --help
	$(GO) run ./cmd/shipshape rules --format markdown > docs/rules.md
	$(GO) build -o .cache/shipshape-docs ./cmd/shipshape && scripts/cli-docs.sh .cache/shipshape-docs

fuzz:            ## run every fuzz target of the module (found, not listed) for FUZZTIME (default 10m) each
	scripts/fuzz.sh $(FUZZTIME)

bench:           ## throughput: 1,200 Dockerfiles, 2,000 Kubernetes documents, 500 compose projects
	$(GO) test ./internal/lint/rules/all -run '^$$' -bench . -benchtime 3s

bench-tree: build ## whole-tree check: 10,000 Dockerfiles, time and peak memory
	rm -rf .cache/tree10k && $(GO) run ./internal/lint/linttest/gencorpus -n 10000 .cache/tree10k
	/usr/bin/time -f "%e s elapsed, %M KB peak RSS, %P CPU" bin/shipshape check --format json -o .cache/tree10k.json .cache/tree10k || true

bench-kube:      ## Kubernetes checks against kube-score on 2,000 documents
	scripts/bench-kube.sh

bench-examples:  ## image size, cold build, rebuild, startup for every example (docs/performance.md)
	scripts/bench-examples.sh

bench-proxy:     ## shipshape proxy against nginx and direct, same backend, same run; memory at 1,000 clients
	scripts/bench-proxy.sh

proxy-image: build ## the proxy's image, built from the Dockerfile shipshape init writes for this repository: it runs shipshape-proxy, the proxy alone
	rm -rf .cache/proxy-image && mkdir -p .cache/proxy-image
	git ls-files -z | xargs -0 cp --parents -t .cache/proxy-image
	bin/shipshape init --force --name shipshape --entrypoint ./cmd/shipshape-proxy --health-path /_shipshape/health --port 8080 .cache/proxy-image >/dev/null
	cp .cache/proxy-image/Dockerfile .cache/proxy-image/.dockerignore .
	bin/shipshape build --name shipshape .

clean:
	rm -rf bin .cache
