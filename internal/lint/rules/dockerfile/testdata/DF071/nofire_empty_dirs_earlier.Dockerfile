FROM alpine:3.20.3
RUN mkdir -p /var/log/web && touch /var/log/web/access.log
RUN adduser -D -u 10001 web && chown -R web:web /var/log/web
USER 10001
