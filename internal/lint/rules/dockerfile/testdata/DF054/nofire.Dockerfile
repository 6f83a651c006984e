FROM rockylinux:9.5
RUN dnf install -y httpd-2.4.62 && dnf clean all
RUN yum install -y httpd-2.4.62 && rm -rf /var/cache/yum
RUN zypper -n install curl=8.0 && zypper clean -a
