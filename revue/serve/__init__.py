"""`build.py serve`: a live preview of the site, rebuilt and reloaded on every change.

- `watch`: which files are watched, and the batches of changes;
- `incremental`: rebuild re-reading only the changed articles; compare two builds;
- `outputs`: keep the output folder in step, writing only changed files;
- `live`: the last good site and the news for browsers, shared between threads;
- `client`: the live-reload script and error overlay added to served pages;
- `http`: map requests to files, redirects and the event stream;
- `follow`: after a build is published, write the output folder and add the search index;
- `server`: the threads, the terminal messages, a clean stop on Ctrl-C.
"""

from .server import DevServer, ServeOptions, serve

__all__ = ["DevServer", "ServeOptions", "serve"]
