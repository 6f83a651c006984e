const port = settings.port;
await app.listen(port);
