# want: 3 5 6 7
FROM golang:1.23.4 AS build
RUN go run github.com/benbjohnson/ego/cmd/ego ./http/html
COPY go.mod go.sum ./
RUN go run github.com/a-h/templ/cmd/templ@latest generate
RUN go get github.com/spf13/cobra
RUN go install golang.org/x/tools/cmd/goimports@latest
FROM scratch
