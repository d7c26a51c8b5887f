# Runs before main.py on every boot; nothing to set up yet.
