# want: 2
FROM node:22.11.0-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
USER 1000:1000
CMD ["npm", "run", "prod"]
