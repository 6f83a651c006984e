# want: 4 5
FROM debian:12.8-slim
ENV PLUGIN_NAME=
RUN for d in cache tmp; do rm -rf /srv/$d; done
RUN chown -R 1000 /opt/plugins/$PLUGIN_NAME
