FROM debian:12.8-slim
WORKDIR /usr/src/app
WORKDIR /
