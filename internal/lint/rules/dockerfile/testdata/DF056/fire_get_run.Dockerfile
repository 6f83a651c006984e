# want: 3 4 5
FROM golang:1.23.4
RUN go get github.com/spf13/cobra
RUN go get -tool golang.org/x/tools/cmd/stringer@latest
RUN go run github.com/sqlc-dev/sqlc/cmd/sqlc generate
RUN go run github.com/a-h/templ/cmd/templ@v0.2.793 generate -path ./web
RUN go get ./... && go run ./cmd/migrate up
