# want: 4
FROM debian:12.8-slim
ARG BUILD_DATE
LABEL org.opencontainers.image.created=$BUILD_DATE
