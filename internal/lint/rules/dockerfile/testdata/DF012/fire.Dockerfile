# want: 5
FROM debian:12.8-slim
USER 10001
RUN echo hi
USER root
