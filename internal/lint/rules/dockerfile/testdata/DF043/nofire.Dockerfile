FROM debian:12.8-slim
RUN apt-get install -qy --no-install-recommends curl
RUN apt-get install --yes curl
RUN apt-get -qq install curl
RUN apt-get -q=2 install curl
RUN apt-get install -q -q curl
RUN apt-get --quiet --quiet install curl
RUN apt install curl
