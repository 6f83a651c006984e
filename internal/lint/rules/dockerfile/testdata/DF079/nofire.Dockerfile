FROM debian:12.8-slim
RUN useradd --no-create-home --shell /usr/sbin/nologin --uid 10001 app
