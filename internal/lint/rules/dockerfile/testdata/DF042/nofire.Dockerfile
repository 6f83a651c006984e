FROM debian:12.8-slim
RUN apt-get install -y --no-install-recommends curl
RUN apt-get install -y -o APT::Install-Recommends=false curl
