FROM rockylinux:9.5
RUN dnf install -y httpd-2.4.62 @development ./local.rpm && dnf clean all
RUN zypper -n install curl=8.0 && zypper clean
