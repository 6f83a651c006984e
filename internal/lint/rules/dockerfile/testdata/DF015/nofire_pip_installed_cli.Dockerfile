FROM python:3.12.7-slim
RUN pip install --no-cache-dir ansible-core==2.17.7
USER 10001
ENTRYPOINT ["ansible"]
