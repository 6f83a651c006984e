from flask import Flask
from pydub import AudioSegment

app = Flask(__name__)


@app.post("/convert")
def convert():
    AudioSegment.from_wav("in.wav").export("out.mp3", format="mp3")
    return "ok"
