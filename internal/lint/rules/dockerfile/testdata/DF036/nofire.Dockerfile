FROM debian:12.8-slim
ARG VERSION=1.0.0
LABEL org.opencontainers.image.version=$VERSION
