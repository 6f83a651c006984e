# want: 5 6
FROM ubuntu:24.04
# One -q only makes apt-get less chatty; it still asks before installing.
RUN apt-get update
RUN apt-get -q install --no-install-recommends make
RUN apt-get install --quiet gcc
