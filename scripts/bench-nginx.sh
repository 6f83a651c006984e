# Sourced by the proxy benchmarks: nginx_conf WORKERS PORT NAME writes
# $work/nginx-NAME.conf, nginx as a reverse proxy on 127.0.0.1:PORT to
# the backends on $B and $B2 with keep-alive, as the benchmarks compare.
nginx_conf() { # workers port name
  cat >"$work/nginx-$3.conf" <<CONF
worker_processes $1;
pid $work/nginx-$3.pid;
error_log $work/nginx-$3-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx-$3-body;
    proxy_temp_path $work/nginx-$3-proxy;
    upstream app { server 127.0.0.1:$B; server 127.0.0.1:$B2; keepalive 256; }
    server {
        listen 127.0.0.1:$2;
        location / {
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Host \$http_host;
            proxy_set_header X-Forwarded-Proto \$scheme;
        }
    }
}
CONF
}
