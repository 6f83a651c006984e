FROM debian:12.8-slim
RUN echo "deb [signed-by=/usr/share/keyrings/x.gpg] http://repo.example.com stable main" > /etc/apt/sources.list.d/x.list
RUN apt-get install -y --no-install-recommends curl
