# netbox-community/netbox-docker's Dockerfile: Django needs a SECRET_KEY
# of some length to import its settings for collectstatic at build time,
# and gets an obvious dummy, which is no credential.
FROM python:3.12.8-slim-bookworm
WORKDIR /opt/netbox
RUN cd /opt/netbox/ && SECRET_KEY="dummyKeyWithMinimumLength-------------------------" /opt/netbox/venv/bin/python /opt/netbox/netbox/manage.py collectstatic --no-input \
    && API_TOKEN=fake-token-for-the-docs-build ./build-docs.sh
USER 1000
