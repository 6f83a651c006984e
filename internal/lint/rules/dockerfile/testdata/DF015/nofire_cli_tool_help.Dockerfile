FROM alpine:3.20.3
RUN apk add --no-cache tarsnap=1.0.40-r3
USER 10001
ENTRYPOINT ["tarsnap"]
CMD ["--help"]
