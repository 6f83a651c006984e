# want: 3
FROM rockylinux:9.5
RUN dnf install -y httpd-2.4.62
