# want: 3
FROM debian:12.8-slim
LABEL 2fa.enabled="true" org.example.tier2="backend"
