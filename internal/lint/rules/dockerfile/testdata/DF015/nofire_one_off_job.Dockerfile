FROM python:3.12.7-slim
COPY generate.sh /seed/generate.sh
USER 10001
CMD ["/seed/generate.sh"]
