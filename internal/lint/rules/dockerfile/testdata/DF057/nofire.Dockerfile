FROM node:20.18.1-bookworm-slim AS build
RUN yarn install --frozen-lockfile
FROM node:20.18.1-bookworm-slim
RUN yarn install --frozen-lockfile --production && yarn cache clean
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile
