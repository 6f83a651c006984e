FROM golang:1.23.4 AS build
FROM debian:12.8-slim
COPY --from=build /app /app
COPY --from=0 /app /app2
COPY --from=nginx:1.27.3 /etc/nginx/nginx.conf /etc/nginx/
ARG SRC=build
COPY --from=${SRC} /app /app3
