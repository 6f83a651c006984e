# want: 3
FROM alpine:3.20.3
RUN apk add --no-cache curl tini=0.19.0-r3
