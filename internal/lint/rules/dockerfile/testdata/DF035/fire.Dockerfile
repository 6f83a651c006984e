# want: 3 4
FROM debian:12.8-slim
LABEL Version=1.0.0
LABEL com.docker.extension=yes
