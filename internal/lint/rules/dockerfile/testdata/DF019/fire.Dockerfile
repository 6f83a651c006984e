# want: 4
FROM debian:12.8-slim
ENTRYPOINT ["/a"]
ENTRYPOINT ["/b"]
