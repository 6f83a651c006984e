# want: 2
FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends slapd=2.5.13+dfsg-5 && rm -rf /var/lib/apt/lists/*
COPY start.sh /usr/local/bin/start.sh
USER 10001
ENTRYPOINT ["start.sh"]
