FROM python:3.11.10-slim-bookworm AS build
FROM debian:12.8-slim
FROM ubuntu:noble-20241118.1
FROM gcr.io/distroless/static-debian12:nonroot
FROM golang:1.23@sha256:1e42bbe2508154c9126d48c2b8a75420c3544343bf86fd041fb7527e017a4b4a
FROM build
