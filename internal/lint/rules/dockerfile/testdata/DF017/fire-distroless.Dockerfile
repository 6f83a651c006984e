# want: 3
FROM gcr.io/distroless/static-debian12:nonroot
HEALTHCHECK CMD ["wget", "-q", "-O-", "http://localhost:8080/healthz"]
