# want: 4 6
ARG VERSION=1.4.2
FROM alpine:3.20.3
LABEL org.opencontainers.image.version=$VERSION
FROM alpine:3.20.3
RUN wget -q "https://example.com/tool-${VERSION}.tar.gz"
