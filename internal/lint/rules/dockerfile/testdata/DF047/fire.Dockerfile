# want: 3 4
FROM python:3.12.7-slim
RUN pip install --no-cache-dir flask gunicorn==23.0.0
RUN python -m pip install --no-cache-dir "uvicorn[standard]"
