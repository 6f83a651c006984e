# want: 2
FROM rust:1.83.0-slim
WORKDIR /src
COPY . .
RUN cargo build --release
USER 10001
CMD ["./target/release/api"]
