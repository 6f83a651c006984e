FROM python:3.12.7-slim
ARG NPM_TOKEN
ENV DATABASE_PASSWORD_FILE=/run/secrets/db_password
ENV TOKEN_URL=https://auth.example.com/token
ENV SECRET_KEY=
