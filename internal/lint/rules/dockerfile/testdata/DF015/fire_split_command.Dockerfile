# want: 2
FROM python:3.12.7-alpine3.20
WORKDIR /srv
COPY . .
USER 10001
ENTRYPOINT ["python3"]
CMD ["app.py"]
