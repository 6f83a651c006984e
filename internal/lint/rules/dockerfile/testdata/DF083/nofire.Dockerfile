FROM python:3.12.7-slim
EXPOSE 8000
USER 10001
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"]
CMD ["gunicorn", "-b", "0.0.0.0:8000", "main:app"]
