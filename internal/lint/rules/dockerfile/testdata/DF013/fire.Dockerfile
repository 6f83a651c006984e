# want: 4
FROM python:3.12.7-slim AS build
USER 1000
FROM python:3.12.7-slim
CMD ["python", "app.py"]
