FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends yubikey-manager=5.2.1-1 && rm -rf /var/lib/apt/lists/*
COPY entrypoint.sh /usr/local/bin/
USER 10001
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
CMD ["ykman", "--help"]
