#!/bin/sh
set -e
alembic upgrade head
exec uvicorn quartermaster.main:app --host 0.0.0.0 --port 8000
