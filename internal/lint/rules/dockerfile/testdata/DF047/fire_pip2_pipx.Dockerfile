# want: 3 4
FROM python:3.12.7-slim
RUN pip2 install --no-cache-dir requests
RUN pipx install ruff
RUN pipx install httpie==3.2.4
RUN pip install --no-cache-dir --root-user-action ignore uvicorn==0.32.1
