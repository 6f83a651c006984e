FROM rust:1.83.0 AS build
WORKDIR /src
COPY . .
RUN cargo build --target wasm32-wasip1 --release && cp target/wasm32-wasip1/release/relay.wasm /relay.wasm
FROM scratch
COPY --from=build /relay.wasm /relay.wasm
ENTRYPOINT ["relay.wasm"]
