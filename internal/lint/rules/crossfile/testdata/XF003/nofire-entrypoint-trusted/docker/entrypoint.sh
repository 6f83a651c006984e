#!/bin/sh
set -e
exec uvicorn quartermaster.main:app --host 0.0.0.0 --forwarded-allow-ips='*'
