FROM alpine:3.20.3
RUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0 musl-dev=1.2.5-r0 \
 && make -C /src \
 && apk add --no-network --virtual .run-deps $(scanelf --needed --nobanner /src/out | awk '{print "so:" $2}') \
 && apk del --no-network .build-deps
