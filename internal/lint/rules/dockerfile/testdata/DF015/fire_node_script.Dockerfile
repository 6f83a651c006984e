# want: 4
FROM node:22.11.0-slim AS build
RUN npm run build
FROM node:22.11.0-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
USER 1000:1000
CMD ["node", "dist/main.js"]
