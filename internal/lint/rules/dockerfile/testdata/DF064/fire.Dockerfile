# want: 3
FROM debian:12.8-slim
RUN ln -sf /bin/bash /bin/sh
