FROM debian:12.8-slim
ENV HOME=/home/svc APP_DIR=/srv/app
RUN useradd --create-home --home-dir $HOME svc \
	&& mkdir -p $HOME/.cache/pip ${APP_DIR}/logs /var/spool/svc/ \
	&& install -d -m 0750 /var/lib/svc \
	&& touch /run/svc.pid \
	&& chown -R svc:svc "$HOME" ${APP_DIR} /var/spool/svc/ /var/lib/svc /run/svc.pid
RUN git clone --depth 1 https://example.org/plugins.git /opt/plugins && chown -R svc /opt/plugins
USER svc
