# want: 4 5
ARG VERSION=1.4.2
FROM alpine:3.20.3
LABEL org.opencontainers.image.version=$VERSION
RUN wget -q "https://example.com/tool-${VERSION}.tar.gz"
