FROM python:3.12.7-slim AS base
HEALTHCHECK --interval=10s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"]
FROM base
CMD ["python", "app.py"]
