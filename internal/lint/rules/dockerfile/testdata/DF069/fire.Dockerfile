# want: 3 4 5
FROM debian:12.8-slim
RUN apt-get install -y --allow-unauthenticated curl
RUN echo "deb [trusted=yes] http://repo.example.com stable main" > /etc/apt/sources.list.d/x.list
RUN dnf install -y --nogpgcheck httpd-2.4.62
