FROM debian:12.8-slim
SHELL ["/bin/bash", "-c"]
RUN ln -s /usr/bin/python3 /usr/local/bin/python
