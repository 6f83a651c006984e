import os

DATABASES = {"default": os.environ["DATABASE_URL"]}
SECRET_KEY = os.environ['DJANGO_SECRET_KEY']
