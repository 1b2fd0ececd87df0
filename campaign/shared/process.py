"""What a long-lived process (a gunicorn worker, the task queue's consumer) does once it has started."""

import gc


def freeze_startup_objects() -> None:
    """Everything loaded by now — modules, the app, its tables and catalogs, some 200,000 objects — lives as long as
    the process. Moved out of the garbage collector's sight (gc.freeze), it is no longer walked by every full
    collection, which the thousands of rows a report page reads trigger several times a request: at city size
    that walking was a third of the report page's time."""
    gc.collect()
    gc.freeze()
