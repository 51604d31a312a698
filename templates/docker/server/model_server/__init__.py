"""model-canary's model server, one module per concern; templates/docker/server/serve.py (beside this package, and
/app/serve.py in the images) documents its configuration and starts it."""
