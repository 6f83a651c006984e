# want: 5
FROM node:22.11.0-bookworm-slim
WORKDIR /srv
COPY . .
RUN cd web && npm ci && npm run build
USER node
