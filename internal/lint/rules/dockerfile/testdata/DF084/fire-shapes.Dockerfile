# want: 2 3 4 5 6 7 8 9 10 11 12 13
FROM python:3.9.18-slim-bookworm AS py39
FROM python:3.10 AS py310
FROM node:hydrogen-alpine AS codename
FROM node:21-alpine3.19 AS odd
FROM node:20.18.1-bookworm-slim AS iron
FROM docker.io/library/node:16.13 AS hub
FROM golang:1.25.5-bookworm AS go125
FROM golang:1.22-alpine AS go122
FROM gcr.io/distroless/python3-debian11 AS py3debian11
FROM gcr.io/distroless/nodejs18-debian12:nonroot AS distroless18
FROM gcr.io/distroless/nodejs:14 AS oldnaming
FROM python:2.7-slim AS py2
