FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends rdesktop=1.9.0-2+b1 && rm -rf /var/lib/apt/lists/*
USER 10001
ENTRYPOINT ["rdesktop"]
