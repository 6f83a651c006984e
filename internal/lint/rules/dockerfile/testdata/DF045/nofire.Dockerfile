FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --only-upgrade openssl
RUN yum update -y openssl
