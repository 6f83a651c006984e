FROM python:3.12.7-slim
ENTRYPOINT exec gunicorn -b 0.0.0.0:8000 app:app
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
