# want: 4
FROM debian:12.8-slim
RUN mkdir /data
RUN chmod 700 /data
