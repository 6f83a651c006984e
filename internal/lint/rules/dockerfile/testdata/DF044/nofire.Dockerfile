FROM debian:12.8-slim
RUN apt-get install -y curl && apt-cache policy curl
