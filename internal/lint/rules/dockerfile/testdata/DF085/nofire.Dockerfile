FROM node:22.11.0-bookworm-slim
WORKDIR /srv
RUN --mount=type=secret,id=api_key,env=API_KEY ./fetch-assets.sh
USER node
