FROM debian:12.8-slim
RUN set -eux -o pipefail; curl -fsSL https://example.com/a.tar.gz | tar xz
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/a.tar.gz | tar xz
