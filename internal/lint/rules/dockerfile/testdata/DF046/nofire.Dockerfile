FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
FROM alpine:3.20.3
RUN apk update && apk add curl
