# want: 3
FROM debian:12.8-slim
RUN useradd -u 123456 app
