# want: 3 4 5
FROM debian:12.8-slim
EXPOSE 80000
EXPOSE 8080/http
EXPOSE abc
