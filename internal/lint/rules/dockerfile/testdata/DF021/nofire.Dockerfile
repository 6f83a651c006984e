FROM debian:12.8-slim
LABEL org.opencontainers.image.authors="someone@example.com"
