FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
# Separate layer: changes far more often than the packages above.
RUN curl -fsSLo /tmp/x https://example.com/x
RUN --mount=type=secret,id=token cat /run/secrets/token > /dev/null
