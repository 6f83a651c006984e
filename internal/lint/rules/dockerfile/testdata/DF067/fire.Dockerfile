# want: 3 4
FROM debian:12.8-slim
RUN curl -fsSL https://get.example.com | sh
RUN sh -c "$(curl -fsSL https://get.example.com)"
