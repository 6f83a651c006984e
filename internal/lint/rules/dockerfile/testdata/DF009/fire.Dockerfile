# want: 3
FROM debian:12.8 AS build
FROM debian:12.8 AS Build
