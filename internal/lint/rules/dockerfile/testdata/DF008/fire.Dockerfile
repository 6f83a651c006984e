# want: 2
FROM golang:1.23.4
WORKDIR /src
COPY . .
RUN go build -o /app .
CMD ["/app"]
