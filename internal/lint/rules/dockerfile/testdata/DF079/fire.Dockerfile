# want: 3
FROM debian:12.8-slim
RUN useradd -m app && echo "app:secret" | chpasswd
