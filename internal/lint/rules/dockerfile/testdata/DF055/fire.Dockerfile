# want: 3 4
FROM rockylinux:9.5
RUN dnf install -y httpd && dnf clean all
RUN zypper -n install curl && zypper clean
