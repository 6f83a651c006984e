bind = "0.0.0.0:8000"
workers = 3
forwarded_allow_ips = "*"
