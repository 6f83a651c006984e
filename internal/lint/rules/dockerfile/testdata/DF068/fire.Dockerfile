# want: 3 4 5 6 7
FROM node:20.18.1-bookworm-slim
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
RUN curl -k -o /tmp/x https://example.com/x
RUN pip install --trusted-host pypi.example.com -r requirements.txt
RUN git config --global http.sslVerify false
RUN export GIT_SSL_NO_VERIFY=1 && git clone https://example.com/repo.git
