FROM python:3.12.7-slim AS base
WORKDIR /app
FROM base
COPY requirements.txt .
COPY app.py /srv/app.py
