# want: 4
FROM node:22.11.0-bookworm-slim
WORKDIR /srv
RUN echo "OPENAI_API_KEY=sk-proj-Qw3rTy8uIo9pAs1dFg2hJk4lZx5cVb6nM7" > .env
USER node
