FROM node:20.18.1-bookworm-slim
RUN npm ci --omit=dev
RUN npm install
RUN npm install -g pm2@5.4.2 @nestjs/cli@10.4.8 ./local-pkg git+https://github.com/acme/x.git#v1.2.0 ./pkg.tgz
