FROM node:24.22.3-bookworm-slim AS production
COPY . .
