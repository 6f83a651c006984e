FROM node:20.18.1-bookworm-slim
RUN npm install --loglevel warn --location=global npm@10.9.2
RUN npm install --fetch-retries 5 --omit dev typescript@5.7.2
