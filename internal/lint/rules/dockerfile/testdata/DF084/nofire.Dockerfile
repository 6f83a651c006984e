FROM node:24.22.3-bookworm-slim AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .

FROM gcr.io/distroless/nodejs24-debian12:nonroot
COPY --from=build /app /app
CMD ["/app/server.js"]
