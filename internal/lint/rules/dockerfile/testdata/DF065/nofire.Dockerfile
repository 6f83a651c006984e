FROM debian:12.8-slim
RUN useradd -l -u 123456 app && useradd --uid 10001 other
