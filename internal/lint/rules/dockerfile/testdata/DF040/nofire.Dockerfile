FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends -t bookworm-backports curl=7.88.1-10+deb12u8 ./local.deb nginx/bookworm-backports && rm -rf /var/lib/apt/lists/*
RUN apt install -y curl
