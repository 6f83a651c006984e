# want: 5
FROM python:3.12.7 AS build
FROM python:3.12.7-slim-bookworm
USER 10001
HEALTHCHECK CMD curl -f http://localhost:8000/healthz || exit 1
