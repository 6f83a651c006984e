# want: 2
FROM --platform=linux/amd64 debian:12.8
