def handler():
    return "auth"
