# want: 3
FROM python:3.12.7-slim AS build
FROM python:3.12.7-slim
CMD ["python", "app.py"]
