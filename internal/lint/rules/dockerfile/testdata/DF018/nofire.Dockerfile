FROM python:3.12.7-slim AS a
CMD ["python", "a.py"]
FROM a
CMD ["python", "b.py"]
