FROM golang:1.23.4 AS deps
WORKDIR /src
COPY go.mod go.sum* ./
RUN go mod download

FROM deps AS build
COPY . .
RUN go run github.com/benbjohnson/ego/cmd/ego ./http/html && go build -o /out/app ./cmd/wtfd
RUN go install github.com/sqlc-dev/sqlc/cmd/sqlc
FROM scratch
