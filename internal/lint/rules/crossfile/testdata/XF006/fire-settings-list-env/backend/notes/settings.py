import os

DEBUG = os.environ.get("NOTES_DEBUG") == "1"
DATABASES = {"default": os.environ["DATABASE_URL"]}
SECRET_KEY = os.environ['DJANGO_SECRET_KEY']
