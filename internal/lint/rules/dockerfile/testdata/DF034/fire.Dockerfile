# want: 3
FROM debian:12.8-slim
ONBUILD FROM alpine:3.20.3
