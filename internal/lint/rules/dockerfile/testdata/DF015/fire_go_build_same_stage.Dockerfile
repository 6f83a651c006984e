# want: 2
FROM golang:1.23.4
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/api ./cmd/api
USER 10001
ENTRYPOINT ["api"]
