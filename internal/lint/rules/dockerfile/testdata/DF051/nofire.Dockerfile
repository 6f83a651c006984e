FROM alpine:3.20.3
RUN apk add --no-cache curl=8.11.0-r2
RUN --mount=type=cache,target=/var/cache/apk apk add curl=8.11.0-r2
RUN apk add curl=8.11.0-r2 && rm -rf /var/cache/apk/*
