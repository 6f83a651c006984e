import os

QUEUE = os.environ["QUEUE_URL"]
TOKEN = os.environ["API_TOKEN"]
