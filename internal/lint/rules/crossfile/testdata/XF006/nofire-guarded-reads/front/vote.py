import os

choice = os.environ["CHOICE_A"] if "CHOICE_A" in os.environ else "Cats"
if os.getenv("BANNER"):
    banner = os.environ["BANNER"]
redis_host = os.environ["REDIS"]
