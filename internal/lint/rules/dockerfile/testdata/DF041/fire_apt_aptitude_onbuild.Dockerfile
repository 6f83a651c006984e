# want: 3 4 5
FROM debian:12.8-slim
RUN apt update && apt install -y --no-install-recommends make
RUN aptitude update && aptitude install -y gcc
ONBUILD RUN apt-get update && apt-get install -y --no-install-recommends git
