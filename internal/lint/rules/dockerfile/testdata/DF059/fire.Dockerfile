# want: 4
FROM debian:12.8-slim
RUN curl -fsSLo /tmp/a https://example.com/a
RUN wget -q https://example.com/b
