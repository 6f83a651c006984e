FROM python:3.12.7-slim
RUN useradd --uid 1000 ledger
COPY --chown=1000:1000 docker/state/ /var/lib/ledger/
USER 1000
CMD ["python", "-m", "ledger"]
