FROM alpine:3.20.3
RUN apk add --no-cache --virtual .build-deps curl=8.11.0-r2 tini~0.19
