FROM python:3.12.7-slim
RUN pip install --no-cache-dir --upgrade pip setuptools wheel
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt
RUN pip install --no-cache-dir -r requirements.txt flask
RUN pip install --no-cache-dir "flask>=3.0,<4" ./vendor/pkg.whl dist/app.tar.gz git+https://github.com/acme/lib@v1.2.0
