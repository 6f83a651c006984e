# want: 2
FROM alpine:3.20.3
RUN apk add --no-cache openldap=2.6.8-r0
USER 10001
ENTRYPOINT ["slapd", "-d", "0", "-h", "ldap:///"]
