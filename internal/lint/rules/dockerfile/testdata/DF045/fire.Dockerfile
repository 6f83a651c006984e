# want: 3 4
FROM debian:12.8-slim
RUN apt-get update && apt-get -y upgrade
RUN zypper dist-upgrade
