# Run with the host's X server:
#	docker run -d -v /tmp/.X11-unix:/tmp/.X11-unix -e DISPLAY=unix$DISPLAY editor
FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends libgtk-3-0=3.24.38-2~deb12u3 && rm -rf /var/lib/apt/lists/*
COPY run.sh /run.sh
USER 10001
CMD ["/run.sh"]
