FROM python:3.12.7-slim AS base
ENV PIP_NO_CACHE_DIR=on
FROM base AS app
RUN pip install -r requirements.txt
FROM python:3.12.7-slim
RUN PIP_NO_CACHE_DIR=1 pip install -r requirements.txt
RUN export PIP_NO_CACHE_DIR=yes && python -m pip install -r requirements.txt
RUN env PIP_NO_CACHE_DIR=true pip3 install -r requirements.txt
COPY --from=app /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages
