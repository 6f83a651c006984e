# want: 5
FROM python:3.12.7-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
