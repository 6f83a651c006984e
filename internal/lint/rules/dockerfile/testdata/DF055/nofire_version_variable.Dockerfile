ARG CURL_VERSION
FROM rockylinux:9.5 AS tools
ARG JQ_RELEASE=1.6-16.el9
RUN dnf install -y jq-${JQ_RELEASE} && dnf clean all
FROM tools
ENV GIT_VERSION=2.43.5-1.el9
RUN dnf install -y git-$GIT_VERSION curl-${CURL_VERSION} && dnf clean all
