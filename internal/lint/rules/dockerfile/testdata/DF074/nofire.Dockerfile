FROM node:20.18.1-bookworm-slim
ARG NPM_TOKEN_FILE=/run/secrets/npm_token
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
ARG API_TOKEN
