# want: 3
FROM python:3.12.7-slim
CMD gunicorn -b 0.0.0.0:8000 app:app
