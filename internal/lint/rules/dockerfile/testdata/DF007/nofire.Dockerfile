FROM python:3.12.7-bookworm AS build
FROM python:3.12.7-slim-bookworm
