# want: 3
FROM debian:12.8-slim
ENV APP=/app CONF=${APP}/conf
