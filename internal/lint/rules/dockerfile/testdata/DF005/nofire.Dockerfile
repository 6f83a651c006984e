FROM --platform=$BUILDPLATFORM golang:1.23.4 AS build
FROM debian:12.8
