FROM python:3.12.7-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*
HEALTHCHECK CMD curl -f http://localhost:8000/healthz || exit 1
FROM node:20.18.1-alpine3.20
HEALTHCHECK CMD wget -q -O- http://localhost:3000/healthz || exit 1
FROM registry.example.com/base:1.0.0
HEALTHCHECK CMD curl -f http://localhost/
