# want: 4
FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc=4:12.2.0-3 make=4.3-4.1 && rm -rf /var/lib/apt/lists/*
RUN make -C /usr/src/tool install
USER 10001
