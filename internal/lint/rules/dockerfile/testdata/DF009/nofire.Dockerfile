FROM debian:12.8 AS build
FROM debian:12.8 AS test
