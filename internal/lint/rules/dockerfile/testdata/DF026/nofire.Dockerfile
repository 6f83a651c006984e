FROM debian:12.8-slim
COPY a.txt b.txt /app/
COPY ["a.txt", "/app/a.txt"]
