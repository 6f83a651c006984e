FROM python:3.12.7-slim
WORKDIR /app
COPY . .
HEALTHCHECK CMD python -c "import urllib.request as u; u.urlopen('http://localhost:8000/ready')"
CMD ["uvicorn", "ledger.main:app", "--host", "0.0.0.0"]
