class UserError(Exception):
    """An error caused by the command's input: reported on stderr without a traceback."""
