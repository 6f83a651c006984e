# want: 8
FROM alpine:3.20.3
ARG TOOL_DIR=/opt/tool
RUN mkdir -p ${TOOL_DIR} \
	&& wget -q https://example.org/tool.tar.gz -O /tmp/tool.tar.gz \
	&& tar -xzf /tmp/tool.tar.gz -C ${TOOL_DIR} && rm /tmp/tool.tar.gz
RUN addgroup -S tool && adduser -S -G tool tool \
	&& chown -R tool:tool /var/lib/tool $TOOL_DIR/
USER tool
