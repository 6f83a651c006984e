FROM debian:12.8-slim
EXPOSE 2222 8080 22/udp
