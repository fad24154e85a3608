from .cli import main

# Guarded: worker processes (derbyrdf serve) import this module without running the CLI.
if __name__ == "__main__":
    main()
