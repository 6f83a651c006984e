FROM python:3.12.7-slim
WORKDIR /srv/ledger
COPY . .
CMD ["python", "-m", "ledger"]
