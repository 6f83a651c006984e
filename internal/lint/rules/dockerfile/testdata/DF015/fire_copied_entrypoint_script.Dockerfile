# want: 2
FROM python:3.12.7-slim
WORKDIR /srv
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
CMD ["./entrypoint.sh"]
