# want: 3
FROM debian:12.8-slim
ADD https://example.com/tool.tar.gz /tmp/
