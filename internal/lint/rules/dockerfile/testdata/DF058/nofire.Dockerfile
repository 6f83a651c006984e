FROM debian:12.8-slim
RUN wget --progress=dot:giga https://example.com/a.tar.gz && wget -qO- https://example.com/b && wget -nv https://example.com/c
HEALTHCHECK CMD wget --spider http://localhost/
