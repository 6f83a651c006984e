FROM alpine:3.20.3
RUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0 make=4.4.1-r2 musl-dev=1.2.5-r0 \
	&& wget -qO /tmp/src.tgz https://example.org/tool-1.2.tgz \
	&& mkdir /usr/src/tool && tar -xzf /tmp/src.tgz -C /usr/src/tool \
	&& make -C /usr/src/tool install \
	&& rm -rf /usr/src/tool /tmp/src.tgz \
	&& apk del .build-deps
USER 10001
ENTRYPOINT ["tool"]
