FROM debian:12.8-slim
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /tmp/
ADD https://github.com/acme/tool.git#3f2a8b1c /src
