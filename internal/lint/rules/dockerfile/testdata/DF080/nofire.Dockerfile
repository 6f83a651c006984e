FROM python:3.12.7-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
FROM python:3.12.7-alpine
RUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install --no-cache-dir -r requirements.txt && apk del .build-deps
RUN apt-get update && apt-get install -y --no-install-recommends libpq5
