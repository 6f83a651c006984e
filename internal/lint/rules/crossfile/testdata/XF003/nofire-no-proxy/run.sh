#!/bin/sh
exec uvicorn tool.main:app --host 0.0.0.0
