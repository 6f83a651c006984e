# want: 3
FROM debian:12.8-slim
RUN apt-get update
