# want: 2
FROM alpine:3.20.3
RUN apk add --no-cache php83-fpm=8.3.14-r0
USER 10001
CMD ["php-fpm83", "-F"]
