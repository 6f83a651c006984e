from fastapi import FastAPI, Depends

app = FastAPI(
    title="Notes",
    version="1.0",
)


@app.get("/notes")
def notes():
    return []
