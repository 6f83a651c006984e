# want: 3 4
ARG BASE=python
FROM debian
FROM ${BASE}
