"""HTTP API: thin routes that parse the request, call the pipeline and map errors."""
