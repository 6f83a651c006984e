FROM python:3.12.7-slim
WORKDIR /app
COPY --chown=10001:10001 . .
RUN mkdir -p /data && chown -R 10001:10001 /data
USER 10001
