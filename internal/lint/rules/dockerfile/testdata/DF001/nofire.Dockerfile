ARG BASE=python:3.12.7-slim-bookworm
FROM ${BASE} AS build
FROM build
ARG TAG
FROM nginx:${TAG}
FROM scratch
FROM alpine@sha256:1e42bbe2508154c9126d48c2b8a75420c3544343bf86fd041fb7527e017a4b4a
