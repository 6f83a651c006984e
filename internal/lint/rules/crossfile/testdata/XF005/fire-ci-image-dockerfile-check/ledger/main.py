from fastapi import FastAPI

app = FastAPI()


@app.get("/readyz")
def readyz():
    return {"ok": True}
