FROM debian:12.8-slim
RUN /opt/app/bin/server --init-cache & \
	pid=$!; \
	sleep 5; kill "$pid" || true
USER 10001
