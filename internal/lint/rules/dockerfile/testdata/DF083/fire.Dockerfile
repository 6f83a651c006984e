# want: 5
FROM python:3.12.7-slim
EXPOSE 8000
USER 10001
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz')"]
CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
