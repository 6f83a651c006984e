FROM debian:12.8-slim
ENV HOME=/home/user TOOL_VERSION=2.4.1
ARG SRC_DIR=/usr/src/tool
RUN useradd --create-home --home-dir $HOME user && chown -R user:user $HOME
RUN rm -rf /usr/src/tool-$TOOL_VERSION $SRC_DIR/ ${TMPDIR:-/tmp}/build && chmod -R go-w ${HOME}/.config
RUN rm -r $UNUSED_WORD
