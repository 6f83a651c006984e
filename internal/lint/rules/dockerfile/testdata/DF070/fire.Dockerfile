# want: 4
FROM debian:12.8-slim
ARG BUILD_DIR
RUN rm -rf $BUILD_DIR/
