# want: 2
FROM python:3.12.7-slim
WORKDIR /srv
COPY . .
USER 10001
CMD ["python", "-m", "app"]
