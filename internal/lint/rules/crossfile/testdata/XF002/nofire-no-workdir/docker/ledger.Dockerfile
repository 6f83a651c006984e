FROM python:3.12.7-slim
COPY . /srv/ledger
CMD ["python", "/srv/ledger/main.py"]
