import os

QUEUE = os.environ["QUEUE_URL"]
