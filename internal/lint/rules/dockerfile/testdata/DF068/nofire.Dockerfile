FROM node:20.18.1-bookworm-slim
ENV NODE_TLS_REJECT_UNAUTHORIZED=1
RUN curl -fsSLo /tmp/x https://example.com/x
RUN wget -q https://example.com/y
