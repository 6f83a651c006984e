FROM python:3.12.7-slim
WORKDIR /app
COPY . .
EXPOSE 8000
CMD ["uvicorn", "ledger.main:app", "--host", "0.0.0.0", "--port", "8000"]
