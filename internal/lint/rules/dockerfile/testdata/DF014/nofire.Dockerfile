FROM python:3.12.7-slim AS build
USER builder
FROM python:3.12.7-slim
ARG UID=10001
USER 10001:10001
