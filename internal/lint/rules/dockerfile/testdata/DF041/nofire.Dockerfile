FROM debian:12.8-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc
FROM debian:12.8-slim
RUN --mount=type=cache,target=/var/lib/apt/lists --mount=type=cache,target=/var/cache/apt \
    apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
