# want: 5
FROM golang:1.23.4 AS build
WORKDIR /src
RUN go build -o /out/dnsd ./cmd/dnsd
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/dnsd /usr/bin/dnsd
ENTRYPOINT ["dnsd", "-conf", "/etc/dnsd.conf"]
