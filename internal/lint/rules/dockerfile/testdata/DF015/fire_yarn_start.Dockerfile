# want: 2
FROM node:22.11.0-alpine3.20
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile --production
USER 1000:1000
CMD ["yarn", "start"]
