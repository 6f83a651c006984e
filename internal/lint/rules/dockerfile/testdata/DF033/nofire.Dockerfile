FROM debian:12.8-slim
ENV APP=/app PATH=/app/bin:$PATH
ENV CONF=$APP/conf
