FROM debian:12.8-slim
RUN groupadd --gid 10001 app && useradd --uid 10001 --gid app app
RUN mkdir -p /srv/data
RUN chown app /srv/data; chmod 0750 /srv/data
