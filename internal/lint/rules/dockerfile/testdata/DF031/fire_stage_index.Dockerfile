# want: 5
FROM golang:1.23.4 AS build
RUN go build -o /out/app ./...
FROM debian:12.8-slim
COPY --from=0 / /
USER 10001
