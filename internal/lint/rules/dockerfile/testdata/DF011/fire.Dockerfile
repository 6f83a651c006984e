# want: 4 5
FROM golang:1.23.4 AS build
FROM debian:12.8-slim
COPY --from=buidl /app /app
COPY --from=3 /app /app2
