FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends rdesktop=1.9.0-2+b1 && rm -rf /var/lib/apt/lists/*
ENV DISPLAY=:0
COPY launch.sh /usr/local/bin/launch.sh
USER 10001
ENTRYPOINT ["launch.sh"]
