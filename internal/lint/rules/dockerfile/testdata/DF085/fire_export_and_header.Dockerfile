# want: 5 7 9 12
FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
	&& rm -rf /var/lib/apt/lists/*
RUN export GH_TOKEN=ghp_Zq8Lm3Nv5Bx7Cw9Dy2Ez4Fa6Gb8Hc0Id1Je3Kf \
	&& curl -fsSL https://api.github.com/user -o /dev/null
RUN curl -fsSL -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.c2VydmljZQ.sig" \
	https://artifacts.example.org/tool.tgz -o /tmp/tool.tgz
RUN curl -fsSL -u deploy:Tr0ub4dor3 https://artifacts.example.org/app.jar -o /srv/app.jar
RUN <<EOF2
cat > /etc/app.conf <<CONF
db_password=s3cr3t-Pa55
CONF
EOF2
USER 10001
