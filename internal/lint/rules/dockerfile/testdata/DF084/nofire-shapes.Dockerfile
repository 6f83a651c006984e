ARG BASE
FROM ${BASE} AS unresolved
FROM node:24 AS lts
FROM node:lts-alpine AS alias
FROM node:26-bookworm-slim AS current
FROM python:3.13-slim AS py313
FROM python:3 AS major
FROM python:3.11.15-slim-bookworm AS py311
FROM gcr.io/distroless/python3-debian12 AS py3debian12
FROM golang:1.27.4-bookworm AS go127
FROM golang:1.26 AS go126
FROM golang:alpine AS goalpine
FROM rust:1.70-slim AS rust
FROM mycorp/node:14 AS private
FROM ghcr.io/acme/python:3.8 AS mirror
FROM node:latest AS latest
