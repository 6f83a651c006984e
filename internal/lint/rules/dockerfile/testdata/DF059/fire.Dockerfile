# want: 4 5
FROM debian:12.8-slim
RUN curl -fsSLo /tmp/a https://example.com/a
RUN wget -q https://example.com/b
RUN curl -fsSLo /tmp/c https://example.com/c
RUN echo done
