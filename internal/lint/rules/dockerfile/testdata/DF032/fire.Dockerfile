# want: 3
ARG BASE=debian:12.8-slim
LABEL a=b
FROM ${BASE}
