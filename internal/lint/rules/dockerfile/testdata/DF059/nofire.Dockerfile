FROM debian:12.8-slim AS build
RUN curl -fsSLo /tmp/a https://example.com/a
FROM alpine:3.20.3
RUN wget -q https://example.com/b
