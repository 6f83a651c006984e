# want: 5
FROM python:3.12.7-slim
WORKDIR /app
COPY . .
RUN useradd -m -u 1000 appuser && chown -R appuser:appuser /app
USER 1000
