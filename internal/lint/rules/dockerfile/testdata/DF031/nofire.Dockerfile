FROM golang:1.23.4 AS build
FROM scratch
COPY --from=build /out/app /app
COPY --from=build / /rootfs/
COPY / /srv/
