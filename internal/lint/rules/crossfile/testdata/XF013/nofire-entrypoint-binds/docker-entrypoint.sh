#!/bin/sh
flask db upgrade
exec gunicorn -b :8000 app:app
