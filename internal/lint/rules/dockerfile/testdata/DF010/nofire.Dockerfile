FROM debian:12.8 AS base
FROM scratch
