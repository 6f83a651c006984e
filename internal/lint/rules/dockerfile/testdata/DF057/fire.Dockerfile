# want: 3
FROM node:20.18.1-bookworm-slim
RUN yarn install --frozen-lockfile
