# want: 3 4
FROM node:20.18.1-bookworm-slim
RUN npm install -g pm2 @nestjs/cli
RUN npm install git+https://github.com/acme/x.git
