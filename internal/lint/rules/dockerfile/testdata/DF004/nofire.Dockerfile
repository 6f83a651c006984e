FROM quay.io/acme/base:1.2.3
FROM python:3.12.7-slim
