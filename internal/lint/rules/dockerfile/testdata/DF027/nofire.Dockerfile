FROM debian:12.8-slim AS build
FROM debian:12.8-slim
COPY --from=build /a /b
