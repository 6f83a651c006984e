# want: 3
FROM alpine:3.20.3
RUN apk update && apk add curl=8.11.0-r2
