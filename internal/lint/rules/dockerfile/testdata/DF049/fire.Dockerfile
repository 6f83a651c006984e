# want: 3
FROM node:20.18.1-bookworm-slim
RUN npm install -g pm2 @nestjs/cli
