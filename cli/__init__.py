"""The `congvan` command line, on top of everything: pipeline/ (files, the store) and flows/ (Prefect).

    main.py      the parser, and what every command shares: one-line errors, exit codes, Ctrl-C
    files.py     extract, ingest, bulk, inbox, serve: files through pipeline/runner.py
    tracker.py   show, tree, obligations, done, list, search, export: reading the store
    render.py    the one table renderer and the one progress display
"""
