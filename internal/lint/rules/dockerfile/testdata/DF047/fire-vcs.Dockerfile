# want: 3
FROM python:3.12.7-slim
RUN pip install --no-cache-dir git+https://github.com/acme/lib
