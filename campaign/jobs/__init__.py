"""Background work on a task queue (Huey): the report's compilation, large exports and the cards PDF.

queue.py is the queue (Huey with its SQLite storage on one machine, Redis beyond), state.py what every job shares
(its row's status, progress and heartbeat, a claim that runs it once, the reaper of jobs whose worker died),
models.py the rows of file-producing jobs, commands.py `flask queue worker` (the consumer) and `flask queue reap`.
Each stage declares its own kinds of job with `state.register_kind`, so this package imports no stage.
"""
