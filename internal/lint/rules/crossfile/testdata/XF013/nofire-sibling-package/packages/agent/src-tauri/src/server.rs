pub async fn run() {
    let app = axum::Router::new();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 9119));
    let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
