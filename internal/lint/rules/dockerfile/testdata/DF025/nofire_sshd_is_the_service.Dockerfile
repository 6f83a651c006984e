FROM alpine:3.20.3
RUN apk add --no-cache openssh-server=9.7_p1-r4 git=2.45.2-r0 && adduser -D -s /usr/bin/git-shell git
EXPOSE 22
ENTRYPOINT ["/usr/local/bin/setup-keys.sh"]
CMD ["/usr/sbin/sshd", "-D", "-e"]
