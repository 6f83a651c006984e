# want: 2 3 4 5
FROM python:3.11-slim AS build
FROM node:lts
FROM golang:1.23
FROM ubuntu:24.04
