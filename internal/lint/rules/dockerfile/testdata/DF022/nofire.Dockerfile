FROM debian:12.8-slim
WORKDIR /app
ENV APP_HOME=/srv/app
WORKDIR $APP_HOME
WORKDIR "/quoted"
