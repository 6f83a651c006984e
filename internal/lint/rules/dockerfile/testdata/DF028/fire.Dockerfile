# want: 3
FROM debian:12.8-slim
ADD app.py /app/
