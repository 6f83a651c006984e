FROM python:3.12.7-slim
ARG PIP_INDEX_URL
RUN --mount=type=secret,id=npm_token \
	echo "//registry.npmjs.org/:_authToken=$(cat /run/secrets/npm_token)" > /root/.npmrc
RUN curl -fsSL -H "Authorization: Bearer ${CI_JOB_TOKEN}" https://gitlab.example.org/api/v4/projects -o /dev/null \
	&& export DJANGO_SECRET_KEY=changeme SECRET_KEY_FILE=/run/secrets/key \
	&& sed -i "s/^PASSWORD=.*/PASSWORD=/" /etc/app.env \
	&& git clone https://${GIT_USER}:${GIT_TOKEN}@git.example.org/team/lib.git /opt/lib \
	&& curl -fsSL -u "$REPO_USER:$REPO_PASS" https://repo.example.org/pkg.tgz -o /tmp/pkg.tgz
RUN echo "SECRET_KEY=<generate one at run time>" > /srv/.env.example && python -m pip install --no-cache-dir requests==2.32.3
USER 10001
