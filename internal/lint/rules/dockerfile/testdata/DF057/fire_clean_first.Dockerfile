# want: 3
FROM node:20.18.1-bookworm-slim
RUN yarn cache clean && yarn install --frozen-lockfile
