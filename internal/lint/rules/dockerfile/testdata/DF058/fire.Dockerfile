# want: 3
FROM debian:12.8-slim
RUN wget https://example.com/tool.tar.gz
