# want: 3
FROM rockylinux:9.5
RUN dnf module install -y nodejs && dnf clean all
RUN dnf module install -y postgresql:16 && dnf clean all
