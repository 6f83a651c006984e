import os

TOKEN = os.environ["LEDGER_TOKEN"]
