# want: 3 4
FROM python:3.12.7-slim
COPY .env /app/.env
COPY id_rsa /root/.ssh/id_rsa
