FROM debian:12.8-slim
LABEL org.opencontainers.image.source="https://github.com/acme/app" version=1.0.0
