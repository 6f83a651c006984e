# want: 3 5
FROM debian:12.8-slim
RUN curl -fsSL https://example.com/a.tar.gz | tar xz
RUN <<EOF
wget -qO- https://example.com/b | sha256sum
EOF
