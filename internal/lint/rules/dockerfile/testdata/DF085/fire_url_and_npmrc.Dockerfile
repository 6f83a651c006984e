# want: 3 4
FROM node:22.11.0-alpine3.20
RUN git clone https://ci-bot:R7xkq2mVw9@git.example.org/team/lib.git /opt/lib
RUN echo "//registry.npmjs.org/:_authToken=a1b2c3d4-e5f6-7890-abcd-ef1234567890" > /root/.npmrc && npm ci
USER node
