# want: 4
FROM node:22.11.0-slim AS build
COPY . /app
FROM gcr.io/distroless/nodejs22-debian12:nonroot
COPY --from=build /app /app
WORKDIR /app
CMD ["./src/server.js"]
