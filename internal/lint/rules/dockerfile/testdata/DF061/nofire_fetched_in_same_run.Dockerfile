FROM debian:12.8-slim
RUN git clone --depth 1 https://example.org/tool.git /usr/src/tool \
	&& ( cd /usr/src/tool && make install ) \
	&& rm -rf /usr/src/tool
RUN wget -qO /tmp/lib.tgz https://example.org/lib-2.1.tgz && tar -xzf /tmp/lib.tgz -C /usr/src && cd /usr/src/lib-2.1 && ./configure
RUN cd /tmp && wget -q https://example.org/data.zip
USER 10001
RUN go get -d example.org/tools/gen && cd /go/src/example.org/tools/gen && go install ./...
