FROM python:3.12.7-slim
WORKDIR /app
COPY ledger/ ledger/
CMD ["python", "-m", "ledger"]
