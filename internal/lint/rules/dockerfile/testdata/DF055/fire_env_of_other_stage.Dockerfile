# want: 5
FROM rockylinux:9.5 AS tools
ENV GIT_VERSION=2.43.5-1.el9
FROM rockylinux:9.5
RUN dnf install -y git-${GIT_VERSION} && dnf clean all
