FROM python:3.12.7-slim AS base
USER 10001
FROM base
CMD ["python", "app.py"]
FROM gcr.io/distroless/static-debian12:nonroot
