FROM python:3.12.7-slim
RUN useradd --uid 1000 --create-home ledger
WORKDIR /home/ledger/app
COPY --chown=ledger:ledger . .
USER ledger
CMD ["python", "-m", "ledger"]
