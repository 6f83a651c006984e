FROM golang:1.23.4 AS build
RUN go install golang.org/x/tools/cmd/goimports@v0.28.0
RUN go install ./cmd/... && go install -ldflags=-s .
FROM scratch
