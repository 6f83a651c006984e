FROM fedora:41
RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y make-4.4.1
RUN --mount=type=tmpfs,target=/var/cache/dnf dnf -y upgrade
RUN dnf install -y gcc-14.2.1 && rm -rf /var/cache/libdnf5/*
FROM opensuse/leap:15.6
RUN zypper install -y curl=8.6.0 && zypper cc --all
