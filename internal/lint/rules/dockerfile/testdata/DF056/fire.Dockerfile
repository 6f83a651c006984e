# want: 3 4
FROM golang:1.23.4 AS build
RUN go install golang.org/x/tools/cmd/goimports@latest
RUN go install github.com/go-delve/delve/cmd/dlv
FROM scratch
