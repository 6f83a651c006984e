# want: 4
FROM nginx:1.27.3
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
HEALTHCHECK CMD ["curl", "-f", "http://localhost/health"]
