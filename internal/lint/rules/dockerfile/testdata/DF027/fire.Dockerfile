# want: 3
FROM debian:12.8-slim AS build
COPY --from=build /a /b
