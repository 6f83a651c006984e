FROM debian:12.8-slim
ENTRYPOINT ["/a"]
CMD ["--help"]
