import uvicorn

if __name__ == "__main__":
    # the port is fixed; the Ingress terminates TLS
    uvicorn.run("catalog.app:app", host="0.0.0.0", port=8080)
