FROM debian:12.8-slim
RUN if [ -f /etc/os-release ]; then . /etc/os-release; fi \
 && for f in a b; do echo "$f"; done
CMD ["sh", "-c", "exec app --port \"$PORT\""]
