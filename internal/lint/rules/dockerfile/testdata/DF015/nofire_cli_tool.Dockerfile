FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends traceroute=1:2.1.2-1 && rm -rf /var/lib/apt/lists/*
USER 10001
ENTRYPOINT ["traceroute"]
