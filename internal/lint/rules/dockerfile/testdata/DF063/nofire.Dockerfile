FROM debian:12.8-slim
RUN apt-get install -y --no-install-recommends vim-tiny procps
