# want: 3
FROM debian:12.8-slim
COPY a.txt b.txt /app
