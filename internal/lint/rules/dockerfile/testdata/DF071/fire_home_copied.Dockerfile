# want: 7
FROM debian:12.8-slim
ENV HOME=/home/builder
COPY profile.sh /home/builder/.profile
COPY vendor/ /home/builder/vendor/
RUN useradd --create-home --home-dir "$HOME" builder \
	&& chown -R builder:builder ${HOME}
USER builder
