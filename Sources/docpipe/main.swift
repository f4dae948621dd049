print("docpipe: not built yet")
