FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends sudo
USER 1000
