FROM python:3.12.7-slim AS build
RUN pip install -r requirements.txt
FROM python:3.12.7-slim
RUN pip install --no-cache-dir -r requirements.txt
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
ENV PIP_NO_CACHE_DIR=1
RUN pip install -r requirements.txt
