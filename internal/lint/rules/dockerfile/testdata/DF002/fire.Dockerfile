# want: 3
ARG IMAGE=node:latest
FROM ${IMAGE}
