# want: 2
FROM node:22.11.0-slim
WORKDIR /app
COPY . .
USER 1000:1000
CMD pnpm start
