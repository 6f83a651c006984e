# want: 4 5 6 7
FROM fedora:41
# A clean before the install, or by another manager, leaves the install's cache.
RUN dnf clean all && dnf install -y make-4.4.1
RUN dnf install -y gcc-14.2.1 && microdnf clean all
RUN dnf -y upgrade-minimal
RUN yum clean all && yum install -y git-2.47.1
