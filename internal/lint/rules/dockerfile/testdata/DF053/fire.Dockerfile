# want: 3 4
FROM rockylinux:9.5
RUN dnf install httpd-2.4.62 && dnf clean all
RUN zypper install curl=8.0
