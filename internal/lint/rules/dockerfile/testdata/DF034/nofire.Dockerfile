FROM debian:12.8-slim
ONBUILD COPY . /app
