# want: 4
FROM debian:12.8-slim
RUN echo start \
 && echo "unterminated
