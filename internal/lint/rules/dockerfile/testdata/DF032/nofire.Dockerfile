# syntax=docker/dockerfile:1
ARG BASE=debian:12.8-slim
FROM ${BASE}
