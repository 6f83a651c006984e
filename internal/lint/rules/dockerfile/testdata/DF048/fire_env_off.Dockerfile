# want: 4 7
FROM python:3.12.7-slim
ENV PIP_NO_CACHE_DIR=no
RUN pip install -r requirements.txt
ENV PIP_NO_CACHE_DIR=1
# The RUN's own value wins over the ENV.
RUN PIP_NO_CACHE_DIR=0 pip install -r requirements.txt
