FROM python:3.12.7-slim AS dev
WORKDIR /src
COPY --from=example/cli-bundle:1.4.2 / /
CMD ["python", "-m", "http.server"]
