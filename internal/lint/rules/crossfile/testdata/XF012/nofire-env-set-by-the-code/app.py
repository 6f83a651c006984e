import os

os.environ["TRACING_EXCLUDED_URLS"] = "healthz,metrics"  # read by the tracer below
ZONE = os.environ["ZONE"]
EXCLUDED = os.environ["TRACING_EXCLUDED_URLS"]
