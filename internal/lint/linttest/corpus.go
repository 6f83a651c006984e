package linttest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

var bases = []string{
	"python:3.12.7-slim-bookworm", "python:3.11-slim", "python:3.12", "node:20.18.1-bookworm-slim", "node:lts", "node:20-alpine",
	"golang:1.23.4", "golang:1.23", "rust:1.83.0-slim", "debian:12.8-slim", "debian", "ubuntu:24.04", "ubuntu:noble-20241118.1",
	"alpine:3.20.3", "alpine:latest", "nginx:1.27.3", "ruby:3.3.6-slim", "eclipse-temurin:21.0.5_11-jre",
	"gcr.io/distroless/static-debian12:nonroot", "ghcr.io/acme/base:2.4.1", "rockylinux:9.5", "${BASE}",
}

var runtimes = []string{
	"gcr.io/distroless/static-debian12:nonroot", "debian:12.8-slim", "alpine:3.20.3", "python:3.12.7-slim-bookworm",
	"node:20.18.1-bookworm-slim", "scratch", "nginx:1.27.3-alpine",
}

var steps = []string{
	"RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*",
	"RUN apt-get update\nRUN apt-get install -y curl",
	"RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt/lists \\\n    apt-get update \\\n && apt-get install -y --no-install-recommends \\\n      build-essential \\\n      libpq-dev",
	"RUN apk add --no-cache tini=0.19.0-r3 curl",
	"RUN pip install --no-cache-dir -r requirements.txt",
	"RUN pip install flask gunicorn",
	"RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
	"COPY requirements.txt .",
	"COPY package.json package-lock.json ./",
	"RUN npm ci --omit=dev && npm cache clean --force",
	"RUN npm install -g pm2",
	"COPY . .",
	"COPY --chown=10001:10001 . /app",
	"RUN curl -fsSL https://example.com/install.sh | sh",
	"RUN set -eux; \\\n    wget -q -O /tmp/tool.tgz \"https://example.com/tool-${VERSION}.tgz\"; \\\n    tar -xzf /tmp/tool.tgz -C /usr/local/bin; \\\n    rm -f /tmp/tool.tgz",
	"RUN cd /src && make && make install",
	"WORKDIR /app",
	"WORKDIR app",
	"ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1",
	"ENV DATABASE_PASSWORD=hunter2",
	"ARG VERSION=1.4.2",
	"ARG NPM_TOKEN",
	"RUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc",
	"LABEL org.opencontainers.image.source=\"https://github.com/acme/app\" org.opencontainers.image.version=\"1.4.2\"",
	"EXPOSE 8000",
	"EXPOSE 80 443",
	"RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin app",
	"RUN chown -R app:app /app",
	"RUN go mod download",
	"RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/app ./cmd/app",
	"RUN cargo build --release",
	"ADD https://example.com/file.tar.gz /tmp/",
	"ADD app.py /app/",
	"RUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends jq\nrm -rf /var/lib/apt/lists/*\nEOF",
	"SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
	"RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg",
	"# Install the runtime dependencies first so that they are cached.",
	"RUN if [ \"$TARGETARCH\" = \"arm64\" ]; then echo arm; else echo amd; fi",
	"RUN yum install -y httpd && yum clean all",
	"RUN sudo apt-get install -y vim",
	"RUN git config --global http.sslVerify false",
}

var finals = []string{
	"USER 10001:10001",
	"USER app",
	"USER root",
	"HEALTHCHECK --interval=10s --timeout=3s CMD [\"/app\", \"healthcheck\"]",
	"HEALTHCHECK CMD curl -f http://localhost:8000/healthz || exit 1",
	"CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]",
	"CMD python app.py",
	"ENTRYPOINT [\"/app\"]",
	"ENTRYPOINT exec node server.js",
	"STOPSIGNAL SIGTERM",
}

// Corpus returns n varied Dockerfiles, the same ones for the same n and seed:
// single- and multi-stage, good and bad, with heredocs, cache mounts,
// continuations and ARG-resolved bases.
func Corpus(n int, seed uint64) [][]byte {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(one(r))
	}
	return out
}

func one(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(3) == 0 {
		b.WriteString("# syntax=docker/dockerfile:1\n")
	}
	b.WriteString("ARG BASE=python:3.12.7-slim-bookworm\n")
	stages := 1 + r.IntN(3)
	for s := 0; s < stages; s++ {
		last := s == stages-1
		base := bases[r.IntN(len(bases))]
		if last && stages > 1 {
			base = runtimes[r.IntN(len(runtimes))]
		}
		fmt.Fprintf(&b, "\nFROM %s", base)
		if !last {
			fmt.Fprintf(&b, " AS stage%d", s)
		}
		b.WriteString("\n")
		for k := 3 + r.IntN(10); k > 0; k-- {
			b.WriteString(steps[r.IntN(len(steps))])
			b.WriteString("\n")
		}
		if last {
			if stages > 1 {
				fmt.Fprintf(&b, "COPY --from=stage%d /out/app /app\n", r.IntN(stages-1))
			}
			for k := 1 + r.IntN(4); k > 0; k-- {
				b.WriteString(finals[r.IntN(len(finals))])
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

// WriteTree writes a corpus as a repository-like tree: dir/svc0000/Dockerfile, ...
func WriteTree(dir string, n int, seed uint64) error {
	for i, df := range Corpus(n, seed) {
		sub := filepath.Join(dir, fmt.Sprintf("group%02d", i%100), fmt.Sprintf("svc%05d", i))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(sub, "Dockerfile"), df, 0o644); err != nil {
			return err
		}
	}
	return nil
}
