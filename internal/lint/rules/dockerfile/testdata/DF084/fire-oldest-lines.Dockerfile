# want: 2 3 4
FROM python:3.5-alpine AS py
FROM node:8-alpine AS js
FROM golang:1.16-buster AS go
FROM debian:12.8
