# want: 4
FROM debian:12.8-slim
USER 1000
RUN sudo apt-get update && sudo apt-get install -y curl
