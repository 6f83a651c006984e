# want: 2
FROM python:3.12.7-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
USER 10001
ENTRYPOINT ["streamlit"]
CMD ["run", "/app/chat.py"]
