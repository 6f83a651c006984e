# want: 4
FROM python:3.12.7-slim
CMD ["python", "a.py"]
CMD ["python", "b.py"]
