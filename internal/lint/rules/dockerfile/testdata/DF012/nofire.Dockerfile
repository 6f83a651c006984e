FROM debian:12.8-slim AS build
USER root
FROM debian:12.8-slim
USER root
RUN apt-get update
USER 10001:10001
