FROM alpine:3.20.3
ADD "rootfs.tar.xz" /
ADD 'https://example.com/tool-1.2.0.tar.gz' /opt/
