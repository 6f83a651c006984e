# want: 3
FROM debian:12.8-slim
LABEL org.opencontainers.image.version=""
