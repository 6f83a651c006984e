FROM --platform=$BUILDPLATFORM debian:12.8
