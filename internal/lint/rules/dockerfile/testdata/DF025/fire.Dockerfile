# want: 3
FROM debian:12.8-slim
EXPOSE 22 8080
